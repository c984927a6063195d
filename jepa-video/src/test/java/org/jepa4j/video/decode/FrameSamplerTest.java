package org.jepa4j.video.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameSamplerTest {

    @Test
    void evaluationWindowMatchesReferenceLinspace() {
        // numpy: np.clip(np.linspace(0, 64, 16), 0, 63).astype(int64)
        int[][] ids = FrameSampler.sample(200, 30, ClipSampling.ofStep(16, 4), null);
        assertArrayEquals(new int[] {0, 4, 8, 12, 17, 21, 25, 29, 34, 38, 42, 46, 51, 55, 59, 63}, ids[0]);
    }

    @Test
    void randomWindowStaysInsideAndIsSpreadEvenly() {
        Random rng = new Random(3);
        boolean moved = false;
        for (int trial = 0; trial < 200; trial++) {
            int[] ids = FrameSampler.sample(150, 30, ClipSampling.ofStep(16, 4), rng)[0];
            int start = ids[0];
            moved |= start != 0;
            assertTrue(start >= 0 && ids[15] < 150, "ids inside the video");
            assertEquals(63, ids[15] - start, "window spans frames_per_clip * frame_step frames");
            for (int j = 1; j < ids.length; j++) {
                int gap = ids[j] - ids[j - 1];
                assertTrue(gap == 4 || gap == 5, "even spread, gap " + gap);
            }
        }
        assertTrue(moved, "the window start is random");
    }

    @Test
    void shortVideoIsPaddedWithItsLastFrame() {
        // 20 frames < 64-frame window: linspace(0, 20, 20 // 4 = 5) then 11 copies of the last frame
        int[] ids = FrameSampler.sample(20, 30, ClipSampling.ofStep(16, 4), new Random(1))[0];
        assertArrayEquals(new int[] {0, 5, 10, 15, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19}, ids);
    }

    @Test
    void severalClipsComeFromSuccessivePartitions() {
        int[][] ids = FrameSampler.sample(300, 30, ClipSampling.ofStep(8, 2).withClipsPerVideo(3), null);
        assertEquals(3, ids.length);
        for (int k = 0; k < 3; k++) {
            assertEquals(100 * k, ids[k][0]);
            assertEquals(100 * k + 15, ids[k][7]);
        }
        int[][] random = FrameSampler.sample(300, 30, ClipSampling.ofStep(8, 2).withClipsPerVideo(3), new Random(9));
        for (int k = 0; k < 3; k++) {
            assertTrue(random[k][0] >= 100 * k && random[k][7] < 100 * (k + 1));
        }
    }

    @Test
    void targetFpsSetsTheStepAsTheReference() {
        assertEquals(7, ClipSampling.ofFps(16, 4).stepFor(30)); // ceil(30) // 4
        assertEquals(7, ClipSampling.ofFps(16, 4).stepFor(29.97));
        assertEquals(1, ClipSampling.ofFps(16, 4).stepFor(2));
        int[] ids = FrameSampler.sample(1000, 30, ClipSampling.ofFps(16, 4), null)[0];
        assertEquals(16 * 7 - 1, ids[15]);
        assertNotEquals(ids[1], ids[0]);
    }

    @Test
    void unknownLengthAndBadSettings() {
        int[] ids = FrameSampler.sample(0, 0, ClipSampling.ofStep(4, 2), null)[0];
        assertArrayEquals(new int[] {0, 2, 5, 7}, ids);
        assertArrayEquals(new int[] {0, 0, 0}, FrameSampler.sample(1, 0, ClipSampling.ofStep(3, 4), null)[0]);
        assertThrows(IllegalArgumentException.class, () -> ClipSampling.ofStep(0, 4));
        assertThrows(IllegalArgumentException.class, () -> ClipSampling.ofFps(16, 0));
    }
}
