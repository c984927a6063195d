package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import static org.jepa4j.video.mask.MultiBlock3dMaskGeneratorTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MultiBlock2dMaskGeneratorTest {

    @Test
    void meanTokenCountsMatchReference() {
        MultiBlock2dMaskGenerator gen = MultiBlock2dMaskGenerator.ijepa();
        MaskStatistics stats = MaskStatistics.compute("ijepa", gen, 1500, 7);
        assertEquals(4, stats.sets().size());
        for (MaskStatistics.SetStatistics s : stats.sets()) {
            assertTrue(Math.abs(s.context().mean() - 82.1) <= 0.02 * 82.1, s.name() + " context " + s.context().mean());
            assertTrue(Math.abs(s.target().mean() - 33.4) <= 0.02 * 33.4, s.name() + " target " + s.target().mean());
        }
    }

    @Test
    void oneSetPerTargetBlockSharingTheContext() {
        MultiBlock2dMaskGenerator gen = MultiBlock2dMaskGenerator.ijepa();
        assertEquals(List.of("target-0", "target-1", "target-2", "target-3"), gen.maskSetNames());
        List<MaskSet> sets = gen.sample(6, new Random(4));
        assertEquals(4, sets.size());
        for (MaskSet s : sets) {
            assertSame(sets.get(0).context(), s.context());
        }
        MaskAssertions.assertValid(sets, 196, 6);
    }

    @Test
    void contextAvoidsEveryTargetBlockOfItsSample() {
        MultiBlock2dMaskGenerator gen = MultiBlock2dMaskGenerator.ijepa();
        Random rng = new Random(12);
        for (int i = 0; i < 30; i++) {
            List<MaskSet> sets = gen.sample(4, rng);
            for (int b = 0; b < 4; b++) {
                Set<Long> targets = new HashSet<>();
                for (MaskSet s : sets) {
                    Arrays.stream(s.target()[b]).forEach(targets::add);
                }
                for (long id : sets.get(0).context()[b]) {
                    assertFalse(targets.contains(id), "context id " + id + " lies in a target block");
                }
                assertTrue(sets.get(0).contextLength() > 10, "context must keep more than minKeep tokens");
            }
        }
    }

    @Test
    void blockSizeSharedByBatchPositionsPerSample() {
        // Every target row of a batch is an h x w rectangle with the same h, w; positions differ across rows.
        MultiBlock2dMaskGenerator gen = MultiBlock2dMaskGenerator.ijepa();
        List<MaskSet> sets = gen.sample(16, new Random(21));
        int[] first = null;
        Set<Long> corners = new HashSet<>();
        for (MaskSet s : sets) {
            for (long[] row : s.target()) {
                int[] box = boundingBox(row);
                int h = box[2] - box[0] + 1;
                int w = box[3] - box[1] + 1;
                assertEquals(h * w, row.length, "target block is not a full rectangle");
                if (first == null) {
                    first = new int[] {h, w};
                }
                assertEquals(first[0], h);
                assertEquals(first[1], w);
                corners.add(row[0]);
            }
        }
        assertTrue(corners.size() > 1, "all target blocks of the batch at one position");
    }

    private static int[] boundingBox(long[] ids) {
        int r0 = 99;
        int c0 = 99;
        int r1 = -1;
        int c1 = -1;
        for (long id : ids) {
            int r = (int) id / 14;
            int c = (int) id % 14;
            r0 = Math.min(r0, r);
            c0 = Math.min(c0, c);
            r1 = Math.max(r1, r);
            c1 = Math.max(c1, c);
        }
        return new int[] {r0, c0, r1, c1};
    }

    @Test
    void seededRngReproduces() {
        MultiBlock2dMaskGenerator gen = MultiBlock2dMaskGenerator.ijepa();
        List<MaskSet> a = gen.sample(3, new Random(99));
        List<MaskSet> b = gen.sample(3, new Random(99));
        for (int k = 0; k < 4; k++) {
            assertTrue(Arrays.deepEquals(a.get(k).context(), b.get(k).context()));
            assertTrue(Arrays.deepEquals(a.get(k).target(), b.get(k).target()));
        }
    }

    @Test
    void shrinkReleasesConstraintsInsteadOfLoopingForever() {
        // Large targets leave no room for a 12-token context inside the context block unless constraints are
        // released; the generator must still return valid, non-empty masks.
        MultiBlock2dConfig cfg = MultiBlock2dConfig.builder().setGrid(TokenGrid.image(112, 16))
                .optTargetScale(Range.of(0.4, 0.5)).optContextScale(Range.of(0.6, 0.7)).optMinKeep(12).build();
        MultiBlock2dMaskGenerator gen = new MultiBlock2dMaskGenerator(cfg);
        Random rng = new Random(6);
        for (int i = 0; i < 20; i++) {
            List<MaskSet> sets = gen.sample(2, rng);
            assertTrue(sets.get(0).contextLength() > 12);
            for (MaskSet s : sets) {
                MaskAssertions.assertSortedInRange(s.context()[0], 49, "context");
                MaskAssertions.assertSortedInRange(s.target()[0], 49, "target");
            }
        }
    }

    @Test
    void severalContextBlocksPairWithEveryTarget() {
        MultiBlock2dConfig cfg = MultiBlock2dConfig.builder().setGrid(TokenGrid.image(224, 16))
                .optNumContextBlocks(2).optNumTargetBlocks(3).build();
        MultiBlock2dMaskGenerator gen = new MultiBlock2dMaskGenerator(cfg);
        List<MaskSet> sets = gen.sample(2, new Random(1));
        assertEquals(6, sets.size());
        assertEquals(6, gen.maskSetNames().size());
        assertEquals("context-1/target-0", gen.maskSetNames().get(1));
        assertSame(sets.get(0).target(), sets.get(1).target());
        assertSame(sets.get(1).context(), sets.get(3).context());
    }

    @Test
    void badConfigsThrowClearMessages() {
        assertMessage(() -> MultiBlock2dConfig.ijepa(TokenGrid.video(16, 2, 224, 16)), "frames == 1");
        assertMessage(() -> MultiBlock2dConfig.builder().build(), "grid must be set");
        assertMessage(() -> MultiBlock2dConfig.builder().setGrid(TokenGrid.image(224, 16)).optMinKeep(40).build(),
                "not more than minKeep=40");
        assertMessage(() -> MultiBlock2dConfig.builder().setGrid(TokenGrid.image(224, 16)).optNumTargetBlocks(0).build(),
                "numTargetBlocks must be >= 1");
        assertMessage(() -> MultiBlock2dConfig.builder().setGrid(TokenGrid.image(224, 16))
                .optTargetScale(Range.of(0.1, 1.2)).build(), "targetScale must lie in");
        assertMessage(() -> MultiBlock2dConfig.builder().setGrid(TokenGrid.image(16, 16)).build(), "at least 2x2");
    }
}
