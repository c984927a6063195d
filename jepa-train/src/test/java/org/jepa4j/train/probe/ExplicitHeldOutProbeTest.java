package org.jepa4j.train.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.jepa4j.train.features.FeatureSet;
import org.junit.jupiter.api.Test;

/**
 * The probe API with an explicit held-out set (the built-in demo's evaluation): two classes told apart by one tiny
 * feature (scale 1e-3) next to large irrelevant ones (scale 100); standardized features make them separable.
 */
class ExplicitHeldOutProbeTest {

    static final int D = 6;

    static FeatureSet twoClasses(int rows, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[rows][D];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 2;
            x[i][0] = (float) (1e-3 * ((y[i] == 1 ? 1 : -1) + 0.3 * r.nextGaussian()));
            for (int k = 1; k < D; k++) {
                x[i][k] = (float) (100 * r.nextGaussian());
            }
        }
        return FeatureSet.of(null, x, 0, D, y, IntStream.range(0, rows).toArray(), List.of("left", "right"));
    }

    @Test
    void standardizedLinearProbeSeparatesAFreshHeldOutSet() {
        FeatureSet train = twoClasses(200, 1);
        FeatureSet heldOut = twoClasses(100, 2);
        ProbeResult r = ProbeTrainer.train(train, heldOut, InitComparison.PROBE);
        assertEquals(100, r.heldOutSamples());
        assertEquals(200, r.trainSamples());
        assertEquals(List.of("left", "right"), r.labelNames());
        assertTrue(r.heldOutTop1() >= 0.95, "held-out top-1 " + r.heldOutTop1());
        assertEquals(r.heldOutTop1(), r.heldOutClipTop1(), 0.0, "one clip per sample");
    }

    @Test
    void mismatchedSetsAndAttentiveStandardizationAreRejected() {
        FeatureSet train = twoClasses(20, 1);
        FeatureSet narrow = FeatureSet.of(null, new float[][] {{1f}, {2f}}, 0, 1, new int[] {0, 1}, new int[] {0, 1},
                List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProbeTrainer.train(train, narrow, InitComparison.PROBE));
        assertTrue(e.getMessage().contains("held-out features"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> ProbeConfig.builder(ProbeKind.ATTENTIVE).optStandardize(true).build());
        assertTrue(e2.getMessage().contains("linear probes only"), e2.getMessage());
    }
}
