package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import static org.jepa4j.video.mask.MultiBlock3dMaskGeneratorTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RandomTubeMaskGeneratorTest {

    private static final TokenGrid GRID = TokenGrid.video(16, 2, 224, 16);

    @Test
    void sameSpatialMaskInEveryFrame() {
        RandomTubeMaskGenerator gen = new RandomTubeMaskGenerator(GRID, List.of(0.9, 0.5));
        List<MaskSet> sets = gen.sample(4, new Random(3));
        MaskAssertions.assertValid(sets, 1568, 4);
        assertEquals(19 * 8, sets.get(0).contextLength()); // int(196 * 0.1) = 19 positions kept per frame
        assertEquals((196 - 19) * 8, sets.get(0).targetLength());
        assertEquals(98 * 8, sets.get(1).contextLength());
        for (long[] row : sets.get(0).context()) {
            for (int t = 1; t < 8; t++) {
                for (int i = 0; i < 19; i++) {
                    assertEquals(row[i] + 196L * t, row[t * 19 + i]);
                }
            }
        }
        assertFalse(Arrays.equals(sets.get(0).context()[0], sets.get(0).context()[1]), "samples share one mask");
    }

    @Test
    void positionsAreUniform() {
        RandomTubeMaskGenerator gen = RandomTubeMaskGenerator.of(new TokenGrid(1, 4, 4));
        int[] hits = new int[16];
        Random rng = new Random(0);
        int draws = 4000;
        for (int i = 0; i < draws; i++) {
            for (long id : gen.sample(1, rng).get(0).context()[0]) { // int(16 * 0.1) = 1 kept
                hits[(int) id]++;
            }
        }
        for (int h : hits) {
            assertTrue(Math.abs(h - draws / 16.0) < 5 * Math.sqrt(draws / 16.0), Arrays.toString(hits));
        }
    }

    @Test
    void badRatiosThrow() {
        assertMessage(() -> new RandomTubeMaskGenerator(GRID, List.of(1.0)), "must lie in (0, 1)");
        assertMessage(() -> new RandomTubeMaskGenerator(GRID, List.of(0.999)), "keeps 0");
        assertMessage(() -> new RandomTubeMaskGenerator(GRID, List.of()), "at least one ratio");
    }
}
