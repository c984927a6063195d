package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiBlock3dMaskGeneratorTest {

    private static final TokenGrid GRID = TokenGrid.video(16, 2, 224, 16);

    @Test
    void defaultGridIs8x14x14() {
        MultiBlock3dMaskGenerator gen = MultiBlock3dMaskGenerator.vjepa();
        assertEquals(new TokenGrid(8, 14, 14), gen.grid());
        assertEquals(1568, gen.numTokens());
        assertEquals(List.of("short-range", "long-range"), gen.maskSetNames());
    }

    @Test
    void meanTokenCountsMatchReference() {
        MaskStatistics stats = MaskStatistics.compute("vjepa", MultiBlock3dMaskGenerator.vjepa(), 1500, 7);
        assertWithin(586.8, stats.set("short-range").context().mean(), "short-range context");
        assertWithin(981.2, stats.set("short-range").target().mean(), "short-range target");
        assertWithin(292.5, stats.set("long-range").context().mean(), "long-range context");
        assertWithin(1275.5, stats.set("long-range").target().mean(), "long-range target");
        for (MaskStatistics.SetStatistics s : stats.sets()) {
            // untruncated: every token is context or target
            assertEquals(1568.0, s.context().mean() + s.target().mean(), 1e-9, s.name());
        }
    }

    private static void assertWithin(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= 0.02 * expected,
                what + ": mean " + actual + " not within 2% of reference " + expected);
    }

    @Test
    void masksAreValidAndBatchRowsTruncatedToEqualLength() {
        MultiBlock3dMaskGenerator gen = MultiBlock3dMaskGenerator.vjepa();
        Random rng = new Random(3);
        for (int i = 0; i < 20; i++) {
            List<MaskSet> sets = gen.sample(8, rng);
            assertEquals(2, sets.size());
            MaskAssertions.assertValid(sets, 1568, 8);
            for (MaskSet s : sets) {
                for (int b = 0; b < 8; b++) {
                    assertEquals(s.contextLength(), s.context()[b].length);
                    assertEquals(s.targetLength(), s.target()[b].length);
                }
                assertTrue(s.contextLength() + s.targetLength() <= 1568);
            }
        }
    }

    @Test
    void truncationCutsToShortestRowSoBatchLosesTokens() {
        // Across a batch of 32 different block positions the shortest context is shorter than the typical one:
        // the batch must lose tokens relative to size-1 batches (otherwise no truncation happened).
        MultiBlock3dMaskGenerator gen = MultiBlock3dMaskGenerator.vjepa();
        Random rng = new Random(11);
        int lost = 0;
        for (int i = 0; i < 10; i++) {
            MaskSet s = gen.sample(32, rng).get(0);
            lost += 1568 - s.contextLength() - s.targetLength();
        }
        assertTrue(lost > 0, "no tokens were dropped by batch truncation in 10 batches of 32");
    }

    @Test
    void batchOfOneCoversEveryToken() {
        MultiBlock3dMaskGenerator gen = MultiBlock3dMaskGenerator.vjepa();
        Random rng = new Random(5);
        for (int i = 0; i < 50; i++) {
            for (MaskSet s : gen.sample(1, rng)) {
                assertEquals(1568, s.contextLength() + s.targetLength());
            }
        }
    }

    @Test
    void targetIsUnionOfSpatialBlocksSpanningAllFrames() {
        // Temporal scale 1.0: every block covers all 8 time steps, so the target pattern repeats in every frame.
        MultiBlock3dMaskGenerator gen = MultiBlock3dMaskGenerator.vjepa();
        MaskSet s = gen.sample(1, new Random(9)).get(1);
        long[] target = s.target()[0];
        int perFrame = target.length / 8;
        assertEquals(0, target.length % 8);
        for (int t = 1; t < 8; t++) {
            for (int i = 0; i < perFrame; i++) {
                assertEquals(target[i] + (long) t * 196, target[t * perFrame + i]);
            }
        }
    }

    @Test
    void seededRngReproducesAndOtherSeedDiffers() {
        MultiBlock3dMaskGenerator gen = MultiBlock3dMaskGenerator.vjepa();
        List<MaskSet> a = gen.sample(4, new Random(42));
        List<MaskSet> b = gen.sample(4, new Random(42));
        List<MaskSet> c = gen.sample(4, new Random(43));
        for (int k = 0; k < 2; k++) {
            assertTrue(Arrays.deepEquals(a.get(k).context(), b.get(k).context()));
            assertTrue(Arrays.deepEquals(a.get(k).target(), b.get(k).target()));
        }
        assertFalse(Arrays.deepEquals(a.get(0).target(), c.get(0).target()));
    }

    @Test
    void maxTemporalKeepRestrictsContextToFirstTimeSteps() {
        MultiBlockSpec spec = MultiBlockSpec.builder().setName("half").setNumBlocks(2)
                .setSpatialScale(Range.fixed(0.15)).optMaxTemporalKeep(0.5).build();
        MultiBlock3dMaskGenerator gen = new MultiBlock3dMaskGenerator(
                MultiBlock3dConfig.builder().setGrid(GRID).addMaskSet(spec).build());
        MaskSet s = gen.sample(4, new Random(1)).get(0);
        MaskAssertions.assertValid(List.of(s), 1568, 4);
        for (long[] row : s.context()) {
            for (long id : row) {
                assertTrue(id < 4 * 196, "context id " + id + " beyond the first 4 time steps");
            }
        }
    }

    @Test
    void temporalScaleLimitsBlockDuration() {
        // one block, half the time steps: the target spans exactly 4 consecutive time steps
        MultiBlockSpec spec = MultiBlockSpec.builder().setName("short").setNumBlocks(1)
                .setSpatialScale(Range.fixed(0.3)).optTemporalScale(Range.fixed(0.5)).build();
        MultiBlock3dMaskGenerator gen = new MultiBlock3dMaskGenerator(new MultiBlock3dConfig(GRID, List.of(spec)));
        Random rng = new Random(2);
        for (int i = 0; i < 20; i++) {
            long[] target = gen.sample(1, rng).get(0).target()[0];
            long frames = Arrays.stream(target).map(id -> id / 196).distinct().count();
            assertEquals(4, frames);
        }
    }

    @Test
    void maxContextKeepCapsContext() {
        MultiBlockSpec spec = MultiBlockSpec.builder().setName("capped").setNumBlocks(1)
                .setSpatialScale(Range.fixed(0.15)).optMaxContextKeep(100).build();
        MultiBlock3dMaskGenerator gen = new MultiBlock3dMaskGenerator(new MultiBlock3dConfig(GRID, List.of(spec)));
        assertEquals(100, gen.sample(3, new Random(0)).get(0).contextLength());
    }

    @Test
    void blockSizeFollowsReferenceFormula() {
        MultiBlock3dMaskGenerator gen = MultiBlock3dMaskGenerator.vjepa();
        MultiBlockSpec longRange = MultiBlockSpec.longRange();
        Random rng = new Random(8);
        for (int i = 0; i < 100; i++) {
            int[] thw = gen.sampleBlockSize(longRange, rng);
            assertEquals(8, thw[0]);
            // area int(196 * 0.7) = 137, aspect in [0.75, 1.5]: h in [10, 14], w in [10, 14]
            assertTrue(thw[1] >= 10 && thw[1] <= 14 && thw[2] >= 10 && thw[2] <= 14, Arrays.toString(thw));
        }
    }

    @Test
    void emptyContextEverywhereThrowsNamingTheSet() {
        MultiBlockSpec full = MultiBlockSpec.builder().setName("everything").setNumBlocks(1)
                .setSpatialScale(Range.fixed(1.0)).optAspectRatio(Range.fixed(1.0)).build();
        MultiBlock3dMaskGenerator gen = new MultiBlock3dMaskGenerator(new MultiBlock3dConfig(GRID, List.of(full)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gen.sample(1, new Random(0)));
        assertTrue(e.getMessage().contains("'everything'"), e.getMessage());
    }

    @Test
    void badConfigsThrowClearMessages() {
        assertMessage(() -> Range.of(0.5, 0.2), "min must not exceed max");
        assertMessage(() -> MultiBlockSpec.builder().setName("a").setNumBlocks(0).setSpatialScale(Range.fixed(0.1)).build(),
                "numBlocks must be >= 1");
        assertMessage(() -> MultiBlockSpec.builder().setName("a").setNumBlocks(1).setSpatialScale(Range.fixed(1.5)).build(),
                "spatialScale must lie in");
        assertMessage(() -> MultiBlockSpec.builder().setName("a").setNumBlocks(1).setSpatialScale(Range.fixed(0.0)).build(),
                "spatialScale must lie in");
        assertMessage(() -> MultiBlockSpec.builder().setName("a").setNumBlocks(1).build(), "spatialScale must be set");
        assertMessage(() -> MultiBlockSpec.builder().setName("a").setNumBlocks(1).setSpatialScale(Range.fixed(0.1))
                .optAspectRatio(Range.of(-1, 2)).build(), "aspectRatio must lie in");
        assertMessage(() -> MultiBlockSpec.builder().setName("a").setNumBlocks(1).setSpatialScale(Range.fixed(0.1))
                .optMaxTemporalKeep(0).build(), "maxTemporalKeep must lie in (0, 1]");
        assertMessage(() -> new MultiBlock3dConfig(GRID, List.of()), "at least one mask set");
        assertMessage(() -> new MultiBlock3dConfig(GRID, List.of(MultiBlockSpec.shortRange(), MultiBlockSpec.shortRange())),
                "'short-range' used twice");
        assertMessage(() -> MultiBlock3dConfig.builder().addMaskSet(MultiBlockSpec.shortRange()).build(), "grid must be set");
        assertMessage(() -> TokenGrid.video(1, 2, 224, 16), "at least the tubelet size");
        assertMessage(() -> TokenGrid.video(16, 2, 8, 16), "smaller than the patch size");
        assertMessage(() -> MultiBlock3dMaskGenerator.vjepa().sample(0, new Random()), "batchSize must be >= 1");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    @Test
    void truncateHelperKeepsLowestIds() {
        long[][] out = MaskIds.truncate(List.of(new long[] {1, 4, 9}, new long[] {0, 2}), 2);
        assertArrayEquals(new long[] {1, 4}, out[0]);
        assertArrayEquals(new long[] {0, 2}, out[1]);
    }
}
