package org.jepa4j.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Losses against values computed in plain Java, and their gradients (to predictions only). */
class JepaLossTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    // z1, h1: one mask set [1, 2, 2]; z2, h2: a second set [1, 1, 2]
    private static final float[] Z1 = {0.5f, -1.0f, 2.0f, 0.0f};
    private static final float[] H1 = {0.0f, 1.0f, 2.5f, -3.0f};
    private static final float[] Z2 = {1.0f, 1.0f};
    private static final float[] H2 = {0.25f, 3.0f};

    private static double meanPow(float[] z, float[] h, double p) {
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            s += Math.pow(Math.abs(z[i] - h[i]), p);
        }
        return s / z.length;
    }

    @Test
    void vjepaL1LossIsTheMeanOverSetsOfTheMeanAbsoluteError() {
        NDArray z1 = manager.create(Z1, new Shape(1, 2, 2));
        NDArray h1 = manager.create(H1, new Shape(1, 2, 2));
        NDArray z2 = manager.create(Z2, new Shape(1, 1, 2));
        NDArray h2 = manager.create(H2, new Shape(1, 1, 2));
        // set 1: |0.5|+|-2|+|-0.5|+|3| = 6 -> 1.5; set 2: 0.75 + 2 = 2.75 -> 1.375; mean 1.4375
        double expected = (meanPow(Z1, H1, 1) + meanPow(Z2, H2, 1)) / 2;
        assertEquals(1.4375, expected, 1e-12);
        NDArray loss = JepaLoss.vjepaLoss(List.of(z1, z2), List.of(h1, h2));
        assertEquals(new Shape(), loss.getShape());
        assertEquals(expected, loss.getFloat(), 1e-6);
    }

    @Test
    void vjepaLossWithExponentTwoAndOneHalf() {
        NDArray z1 = manager.create(Z1, new Shape(1, 2, 2));
        NDArray h1 = manager.create(H1, new Shape(1, 2, 2));
        NDArray z2 = manager.create(Z2, new Shape(1, 1, 2));
        NDArray h2 = manager.create(H2, new Shape(1, 1, 2));
        for (double p : new double[] {2.0, 1.5}) {
            double expected = (meanPow(Z1, H1, p) / p + meanPow(Z2, H2, p) / p) / 2;
            NDArray loss = JepaLoss.vjepaLoss(List.of(z1, z2), List.of(h1, h2), p);
            assertEquals(expected, loss.getFloat(), 1e-5, "p = " + p);
        }
    }

    @Test
    void vjepaGradientReachesPredictionsOnly() {
        NDArray z1 = manager.create(Z1, new Shape(1, 2, 2));
        NDArray h1 = manager.create(H1, new Shape(1, 2, 2));
        NDArray z2 = manager.create(Z2, new Shape(1, 1, 2));
        NDArray h2 = manager.create(H2, new Shape(1, 1, 2));
        for (NDArray a : List.of(z1, h1, z2, h2)) {
            a.setRequiresGradient(true); // targets too: the loss must still treat them as constants
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(JepaLoss.vjepaLoss(List.of(z1, z2), List.of(h1, h2)));
        }
        // d/dz mean(|z-h|) / 2 sets = sign(z - h) / n / 2
        assertArrayEquals(signScaled(Z1, H1, 1.0 / (4 * 2)), z1.getGradient().toFloatArray(), 1e-7f);
        assertArrayEquals(signScaled(Z2, H2, 1.0 / (2 * 2)), z2.getGradient().toFloatArray(), 1e-7f);
        assertArrayEquals(new float[4], h1.getGradient().toFloatArray());
        assertArrayEquals(new float[2], h2.getGradient().toFloatArray());
    }

    private static float[] signScaled(float[] z, float[] h, double scale) {
        float[] g = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            g[i] = (float) (Math.signum(z[i] - h[i]) * scale);
        }
        return g;
    }

    @Test
    void vjepaLossRejectsMismatches() {
        NDArray a = manager.zeros(new Shape(1, 2, 2));
        NDArray b = manager.zeros(new Shape(1, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> JepaLoss.vjepaLoss(List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> JepaLoss.vjepaLoss(List.of(a), List.of(a, a)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JepaLoss.vjepaLoss(List.of(a), List.of(b)));
        assertTrue(e.getMessage().contains("(1, 2, 2)") && e.getMessage().contains("(1, 3, 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JepaLoss.vjepaLoss(List.of(a), List.of(a), 0));
    }

    @Test
    void smoothL1MatchesTheHuberFormulaAndItsGradient() {
        float[] z = {0.0f, 0.5f, 3.0f, -2.0f, 1.0f, 0.2f};
        float[] h = {0.0f, 0.0f, 0.5f, 0.0f, 0.0f, -0.3f};
        double expected = 0;
        float[] grad = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            double d = z[i] - h[i];
            expected += Math.abs(d) < 1 ? 0.5 * d * d : Math.abs(d) - 0.5;
            grad[i] = (float) (Math.max(-1, Math.min(1, d)) / z.length);
        }
        expected /= z.length; // (0 + 0.125 + 2.0 + 1.5 + 0.5 + 0.125) / 6
        assertEquals(4.25 / 6, expected, 1e-9);
        NDArray zp = manager.create(z, new Shape(2, 3));
        NDArray hp = manager.create(h, new Shape(2, 3));
        zp.setRequiresGradient(true);
        hp.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = JepaLoss.smoothL1(zp, hp);
            assertEquals(expected, loss.getFloat(), 1e-6);
            gc.backward(loss);
        }
        assertArrayEquals(grad, zp.getGradient().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[6], hp.getGradient().toFloatArray());
    }

    @Test
    void smoothL1WithBeta() {
        float[] z = {0.1f, 1.0f, -4.0f};
        float beta = 2f;
        double expected = (0.5 * 0.01 / 2 + 0.5 * 1.0 / 2 + (4.0 - 1.0)) / 3;
        NDArray loss = JepaLoss.smoothL1(manager.create(z), manager.zeros(new Shape(3)), beta);
        assertEquals(expected, loss.getFloat(), 1e-6);
    }

    @Test
    void layerNormNoAffineUsesTorchDefaultEps() {
        // row 0 is ordinary; row 1 has a variance (2.5e-7) below eps, where eps 1e-5 vs 1e-6 changes the result
        float[] x = {1f, 2f, 4f, 9f, 0f, 0.001f, 0f, 0.001f};
        NDArray out = JepaLoss.layerNormNoAffine(manager.create(x, new Shape(2, 4)));
        assertEquals(new Shape(2, 4), out.getShape());
        assertArrayEquals(layerNormByHand(x, 4, 1e-5), out.toFloatArray(), 1e-5f);
        float[] withSmallEps = layerNormByHand(x, 4, 1e-6);
        assertTrue(Math.abs(withSmallEps[5] - out.toFloatArray()[5]) > 0.1, "eps must be 1e-5, not 1e-6");
        NDArray custom = JepaLoss.layerNormNoAffine(manager.create(x, new Shape(2, 4)), 1e-6f);
        assertArrayEquals(withSmallEps, custom.toFloatArray(), 1e-5f);
    }

    private static float[] layerNormByHand(float[] x, int d, double eps) {
        float[] out = new float[x.length];
        for (int r = 0; r < x.length / d; r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) {
                mean += x[r * d + i];
            }
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                var += (x[r * d + i] - mean) * (x[r * d + i] - mean);
            }
            var /= d; // biased, as torch
            for (int i = 0; i < d; i++) {
                out[r * d + i] = (float) ((x[r * d + i] - mean) / Math.sqrt(var + eps));
            }
        }
        return out;
    }

    @Test
    void layerNormIsDifferentiable() {
        NDArray x = manager.create(new float[] {1f, 2f, 4f, 9f}, new Shape(1, 4));
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = JepaLoss.layerNormNoAffine(x);
            // d/dx sum(y * w) for w = [1, 0, 0, 0]: gradient is finite and sums to ~0 (mean is removed)
            NDArray w = manager.create(new float[] {1f, 0f, 0f, 0f}, new Shape(1, 4));
            gc.backward(y.mul(w).sum());
        }
        float[] g = x.getGradient().toFloatArray();
        double sum = 0;
        for (float v : g) {
            assertTrue(Float.isFinite(v));
            sum += v;
        }
        assertEquals(0, sum, 1e-5);
        assertTrue(g[0] > 0, "raising x0 raises y0");
    }

    @Test
    void gatherTokensPicksRowsAndRoutesGradients() {
        // feats[b, n, d] = 100 b + 10 n + d, shape [2, 4, 3]
        float[] f = new float[24];
        for (int b = 0; b < 2; b++) {
            for (int n = 0; n < 4; n++) {
                for (int d = 0; d < 3; d++) {
                    f[b * 12 + n * 3 + d] = 100 * b + 10 * n + d;
                }
            }
        }
        NDArray feats = manager.create(f, new Shape(2, 4, 3));
        feats.setRequiresGradient(true);
        NDArray ids = manager.create(new long[] {3, 0, 1, 1}, new Shape(2, 2));
        NDArray out;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            out = JepaLoss.gatherTokens(feats, ids);
            gc.backward(out.sum());
        }
        assertEquals(new Shape(2, 2, 3), out.getShape());
        assertArrayEquals(new float[] {30, 31, 32, 0, 1, 2, 110, 111, 112, 110, 111, 112}, out.toFloatArray());
        float[] g = feats.getGradient().toFloatArray();
        float[] expected = new float[24];
        for (int d = 0; d < 3; d++) {
            expected[3 * 3 + d] = 1; // b0 n3
            expected[0 * 3 + d] = 1; // b0 n0
            expected[12 + 1 * 3 + d] = 2; // b1 n1 taken twice
        }
        assertArrayEquals(expected, g);
    }

    @Test
    void gatherTokensAcceptsSharedIdsAndInt32AndChecksShapes() {
        NDArray feats = manager.arange(24f).reshape(2, 4, 3);
        NDArray shared = manager.create(new int[] {2}, new Shape(1));
        NDArray out = JepaLoss.gatherTokens(feats, shared);
        assertArrayEquals(new float[] {6, 7, 8, 18, 19, 20}, out.toFloatArray());
        assertThrows(IllegalArgumentException.class,
                () -> JepaLoss.gatherTokens(feats, manager.zeros(new Shape(3, 2), DataType.INT64)));
        assertThrows(IllegalArgumentException.class,
                () -> JepaLoss.gatherTokens(feats, manager.zeros(new Shape(2, 2))));
        assertThrows(IllegalArgumentException.class,
                () -> JepaLoss.gatherTokens(manager.zeros(new Shape(4, 3)), shared));
    }

    @Test
    void maskedTargetsNormalizeThenGather() {
        float[] x = {1f, 2f, 4f, 9f, 3f, 3f, 5f, 5f};
        NDArray h = manager.create(x, new Shape(1, 2, 4));
        List<NDArray> t = JepaLoss.maskedTargets(h, List.of(manager.create(new long[] {1}, new Shape(1, 1)),
                manager.create(new long[] {0, 1}, new Shape(1, 2))));
        float[] ln = layerNormByHand(x, 4, 1e-5);
        assertArrayEquals(java.util.Arrays.copyOfRange(ln, 4, 8), t.get(0).toFloatArray(), 1e-5f);
        assertArrayEquals(ln, t.get(1).toFloatArray(), 1e-5f);
    }
}
