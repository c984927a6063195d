package org.jepa4j.video.decode;

import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jepa4j.video.testutil.TestVideos;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipDecoderTest {

    @TempDir
    static Path dir;
    static Path indexed;

    @BeforeAll
    static void writeVideos() {
        indexed = TestVideos.indexed(dir.resolve("indexed.mp4"), 64, 48, 30, 25);
    }

    /** Frame index encoded in the center pixel of frame t. */
    private static int indexAt(RgbFrames f, int t) {
        int o = t * f.frameBytes() + ((f.height() / 2) * f.width() + f.width() / 2) * 3;
        return TestVideos.indexOf(f.data()[o] & 0xFF);
    }

    private static int[] indices(RgbFrames f) {
        int[] out = new int[f.frames()];
        for (int t = 0; t < out.length; t++) {
            out[t] = indexAt(f, t);
        }
        return out;
    }

    @Test
    void decodesRequestedFramesInRequestOrderWithSeeking() throws Exception {
        int[] ids = {0, 5, 17, 29, 3, 17};
        try (ClipDecoder seeking = new ClipDecoder(1, 2, SWS_BILINEAR);
                ClipDecoder forward = new ClipDecoder(1, 1000, SWS_BILINEAR)) {
            VideoInfo info = seeking.open(indexed);
            assertEquals(64, info.width());
            assertEquals(48, info.height());
            assertEquals(25.0, info.fps(), 0.01);
            assertEquals(30, info.frameCount());
            RgbFrames a = seeking.read(ids, 32, 24);
            assertEquals(32, a.width());
            assertEquals(24, a.height());
            assertArrayEquals(ids, indices(a));
            forward.open(indexed);
            assertArrayEquals(ids, indices(forward.read(ids, 32, 24)));
        }
    }

    @Test
    void padsWithLastFramePastTheEnd() throws Exception {
        try (ClipDecoder d = new ClipDecoder()) {
            d.open(indexed);
            RgbFrames f = d.read(new int[] {27, 29, 35, 50}, 16, 16);
            assertArrayEquals(new int[] {27, 29, 29, 29}, indices(f));
            assertEquals(2, f.padded());
        }
    }

    @Test
    void honorsRotationMetadata() throws Exception {
        Path rotated = TestVideos.halves(dir.resolve("rot.mp4"), 64, 32, 3, new int[] {220, 20, 20},
                new int[] {20, 20, 220}, 90);
        try (ClipDecoder d = new ClipDecoder()) {
            VideoInfo info = d.open(rotated);
            // FFmpeg semantics (as the ffmpeg tool's autorotate): the recorder's 90 is a display matrix of
            // +90 degrees counter-clockwise, i.e. a clockwise rotation of 270
            assertEquals(270, info.rotation());
            assertEquals(32, info.width());
            assertEquals(64, info.height());
            RgbFrames f = d.read(new int[] {0}, 16, 32);
            // counter-clockwise rotation: the left (red) half ends up at the bottom, the right (blue) half on top
            int top = (4 * 16 + 8) * 3;
            int bottom = (28 * 16 + 8) * 3;
            assertTrue((f.data()[bottom] & 0xFF) > 150 && (f.data()[bottom + 2] & 0xFF) < 100, "bottom should be red");
            assertTrue((f.data()[top + 2] & 0xFF) > 150 && (f.data()[top] & 0xFF) < 100, "top should be blue");
        }
    }

    @Test
    void decodesGrayscaleTenBitVfrAndImages() throws Exception {
        try (ClipDecoder d = new ClipDecoder()) {
            d.open(TestVideos.grayscale(dir.resolve("gray.mkv"), 40, 30, 4));
            RgbFrames g = d.read(new int[] {0, 3}, 20, 16);
            assertEquals(120, g.data()[0] & 0xFF, 3);
            assertEquals(g.data()[0], g.data()[2]);

            d.open(TestVideos.tenBit(dir.resolve("ten.mkv"), 40, 30, 4));
            RgbFrames t = d.read(new int[] {1}, 20, 16);
            assertEquals(90, t.data()[0] & 0xFF, 6);
            assertEquals(160, t.data()[1] & 0xFF, 6);

            d.open(TestVideos.variableFrameRate(dir.resolve("vfr.mp4"), 32, 32, 12));
            RgbFrames v = d.read(new int[] {0, 4, 8, 11}, 16, 16);
            assertEquals(4, v.frames());

            VideoInfo png = d.open(TestVideos.png(dir.resolve("still.png"), 30, 20, 10, 200, 30));
            assertEquals(30, png.width());
            RgbFrames p = d.read(new int[] {0, 0, 5}, 15, 10);
            assertEquals(200, p.data()[1] & 0xFF, 2);
            assertEquals(3, p.frames());
        }
    }

    @Test
    void badFilesThrowWithReason() {
        Path good = TestVideos.indexed(dir.resolve("good.mp4"), 32, 32, 10, 25);
        Path[] bad = {
            TestVideos.zeroBytes(dir.resolve("empty.mp4")),
            TestVideos.text(dir.resolve("text.mp4")),
            TestVideos.fakeMp4(dir.resolve("fake.mp4")),
            TestVideos.audioOnly(dir.resolve("audio.mp4")),
            TestVideos.truncated(good, dir.resolve("truncated.mp4"), 0.5),
        };
        try (ClipDecoder d = new ClipDecoder()) {
            for (Path p : bad) {
                UnreadableVideoException e = assertThrows(UnreadableVideoException.class, () -> {
                    d.open(p);
                    d.read(new int[] {0, 1}, 16, 16);
                }, p.toString());
                assertEquals(p, e.file());
                assertTrue(!e.reason().isBlank());
            }
            assertTrue(assertThrows(UnreadableVideoException.class, () -> d.open(bad[3])).reason().contains("no video"));
        }
    }

    @Test
    void rotationHelperMapsCorners() {
        // 2x1 frame: A B  -> clockwise 90 -> column [A; B] (1 wide, 2 high)
        byte[] src = {1, 1, 1, 2, 2, 2};
        byte[] dst = new byte[6];
        ClipDecoder.rotate(src, 2, 1, 90, dst, 0);
        assertArrayEquals(new byte[] {1, 1, 1, 2, 2, 2}, dst);
        ClipDecoder.rotate(src, 2, 1, 180, dst, 0);
        assertArrayEquals(new byte[] {2, 2, 2, 1, 1, 1}, dst);
        ClipDecoder.rotate(src, 2, 1, 270, dst, 0);
        assertArrayEquals(new byte[] {2, 2, 2, 1, 1, 1}, dst);
        assertEquals(90, ClipDecoder.clockwiseRotation(-90));
        assertEquals(270, ClipDecoder.clockwiseRotation(90));
        assertEquals(180, ClipDecoder.clockwiseRotation(180));
    }
}
