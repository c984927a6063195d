package org.jepa4j.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Map<String, NDArray> params(float[] w, float[] b) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        NDArray weight = manager.create(w, new Shape(2, 3));
        weight.setRequiresGradient(true);
        NDArray bias = manager.create(b, new Shape(3));
        bias.setRequiresGradient(true);
        NDArray frozen = manager.create(new float[] {5f}, new Shape(1));
        p.put("blocks.0.fc.weight", weight);
        p.put("blocks.0.fc.bias", bias);
        p.put("frozen", frozen);
        return p;
    }

    /** torch.optim.AdamW in double precision, written out by hand. */
    private static void referenceStep(double[] p, double[] m, double[] v, double[] g, int t, double lr, double wd,
            boolean decay) {
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        for (int i = 0; i < p.length; i++) {
            if (decay) {
                p[i] *= 1 - lr * wd;
            }
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double mHat = m[i] / (1 - Math.pow(b1, t));
            double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
            p[i] -= lr * mHat / denom;
        }
    }

    @Test
    void matchesHandComputedAdamW() {
        float[] w0 = {0.5f, -1.0f, 2.0f, 0.1f, 0.0f, -0.3f};
        float[] b0 = {0.2f, -0.2f, 1.0f};
        Map<String, NDArray> p = params(w0, b0);
        double[] w = toDouble(w0);
        double[] b = toDouble(b0);
        double[] mw = new double[6];
        double[] vw = new double[6];
        double[] mb = new double[3];
        double[] vb = new double[3];
        double[][] lrs = {{1e-2, 0.04}, {5e-3, 0.1}, {2e-2, 0.4}};
        try (AdamW opt = AdamW.builder().build(p)) {
            assertEquals(2, opt.parameters().size(), "the frozen parameter is skipped");
            assertTrue(opt.decays("blocks.0.fc.weight"));
            assertFalse(opt.decays("blocks.0.fc.bias"));
            for (int t = 1; t <= 3; t++) {
                double[] gw = new double[6];
                double[] gb = new double[3];
                for (int i = 0; i < 6; i++) {
                    gw[i] = Math.sin(t * 1.7 + i) * (i + 1) * 0.3;
                }
                for (int i = 0; i < 3; i++) {
                    gb[i] = Math.cos(t * 0.9 + i) * 0.05;
                }
                Map<String, NDArray> grads = Map.of(
                        "blocks.0.fc.weight", manager.create(toFloat(gw), new Shape(2, 3)),
                        "blocks.0.fc.bias", manager.create(toFloat(gb), new Shape(3)));
                opt.step(grads, lrs[t - 1][0], lrs[t - 1][1]);
                referenceStep(w, mw, vw, gw, t, lrs[t - 1][0], lrs[t - 1][1], true);
                referenceStep(b, mb, vb, gb, t, lrs[t - 1][0], lrs[t - 1][1], false);
                assertClose(w, p.get("blocks.0.fc.weight").toFloatArray(), 2e-6);
                assertClose(b, p.get("blocks.0.fc.bias").toFloatArray(), 2e-6);
            }
            assertEquals(3, opt.stepCount());
            assertArrayEquals(new float[] {5f}, p.get("frozen").toFloatArray());
        }
    }

    @Test
    void firstStepMovesEachWeightByLrTimesSignOfGradient() {
        // With zero moments, step 1 gives m_hat = g and sqrt(v_hat) = |g|: p -= lr * g/(|g| + eps).
        Map<String, NDArray> p = params(new float[6], new float[3]);
        try (AdamW opt = AdamW.builder().build(p)) {
            opt.step(Map.of("blocks.0.fc.weight", manager.create(new float[] {1, -2, 3, -4, 5, -6}, new Shape(2, 3)),
                    "blocks.0.fc.bias", manager.create(new float[] {0.5f, -0.5f, 0f}, new Shape(3))), 0.1, 0.0);
            assertClose(new double[] {-0.1, 0.1, -0.1, 0.1, -0.1, 0.1},
                    p.get("blocks.0.fc.weight").toFloatArray(), 1e-6);
            assertClose(new double[] {-0.1, 0.1, 0.0}, p.get("blocks.0.fc.bias").toFloatArray(), 1e-6);
        }
    }

    @Test
    void usesAutogradGradientsOfTheParameters() {
        Map<String, NDArray> p = params(new float[] {1, 1, 1, 1, 1, 1}, new float[] {0, 0, 0});
        NDArray weight = p.get("blocks.0.fc.weight");
        NDArray target = manager.create(new float[] {1, -1, 2, -2, 3, -3}, new Shape(2, 3));
        try (AdamW opt = AdamW.builder().build(p);
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = weight.mul(target).sum().add(p.get("blocks.0.fc.bias").sum());
            gc.backward(loss);
            assertClose(new double[] {1, -1, 2, -2, 3, -3}, weight.getGradient().toFloatArray(), 0);
            gc.close();
            opt.step(0.01, 0.5);
            // decay: 1*(1-0.005) = 0.995, then -0.01 * sign(g)
            assertClose(new double[] {0.985, 1.005, 0.985, 1.005, 0.985, 1.005}, weight.toFloatArray(), 1e-6);
            assertClose(new double[] {-0.01, -0.01, -0.01}, p.get("blocks.0.fc.bias").toFloatArray(), 1e-6);
        }
    }

    @Test
    void restoredOptimizerContinuesIdentically() {
        float[] w0 = {0.5f, -1.0f, 2.0f, 0.1f, 0.0f, -0.3f};
        float[] b0 = {0.2f, -0.2f, 1.0f};
        Map<String, NDArray> a = params(w0, b0);
        try (AdamW optA = AdamW.builder().build(a)) {
            for (int t = 0; t < 3; t++) {
                optA.step(grads(t), 1e-2, 0.05);
            }
            // Snapshot parameters and optimizer state (as a checkpoint would), restore into fresh objects.
            Map<String, NDArray> b = params(a.get("blocks.0.fc.weight").toFloatArray(),
                    a.get("blocks.0.fc.bias").toFloatArray());
            Map<String, NDArray> saved = new LinkedHashMap<>();
            optA.exportState().forEach((k, v) -> saved.put(k, v.duplicate()));
            try (AdamW optB = AdamW.builder().build(b)) {
                optB.loadState(saved);
                assertEquals(3, optB.stepCount());
                for (int t = 3; t < 6; t++) {
                    optA.step(grads(t), 1e-2, 0.05);
                    optB.step(grads(t), 1e-2, 0.05);
                }
                assertArrayEquals(a.get("blocks.0.fc.weight").toFloatArray(), b.get("blocks.0.fc.weight").toFloatArray());
                assertArrayEquals(a.get("blocks.0.fc.bias").toFloatArray(), b.get("blocks.0.fc.bias").toFloatArray());
                Map<String, NDArray> sa = optA.exportState();
                Map<String, NDArray> sb = optB.exportState();
                for (String k : sa.keySet()) {
                    assertTrue(sa.get(k).contentEquals(sb.get(k)), k);
                }
            }
            Map<String, NDArray> bad = new LinkedHashMap<>(saved);
            bad.remove("exp_avg_sq.blocks.0.fc.bias");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> optA.loadState(bad));
            assertTrue(e.getMessage().contains("exp_avg_sq.blocks.0.fc.bias"), e.getMessage());
        }
    }

    @Test
    void liveArrayCountStaysFlatOverThousandsOfSteps() {
        Map<String, NDArray> p = params(new float[] {1, 2, 3, 4, 5, 6}, new float[] {1, 2, 3});
        NDArray weight = p.get("blocks.0.fc.weight");
        NDArray target = manager.create(new float[] {1, -1, 2, -2, 3, -3}, new Shape(2, 3));
        try (AdamW opt = AdamW.builder().build(p)) {
            Map<String, NDArray> fixed = grads(0);
            opt.step(fixed, 1e-3, 0.04);
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < 3000; i++) {
                opt.step(fixed, 1e-3, 0.04);
                GradientClipping.clipByGlobalNorm(p, 1.0);
            }
            assertEquals(before, manager.getManagedArrays().size(), "explicit-gradient path leaks");
            for (int i = 0; i < 300; i++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                        NDScope forward = new NDScope()) {
                    NDArray loss = weight.mul(target).sum().add(p.get("blocks.0.fc.bias").sum());
                    gc.backward(loss);
                }
                GradientClipping.clipByGlobalNorm(p, 1.0);
                opt.step(1e-3, 0.04);
                Gradients.zero(p);
            }
            assertEquals(before, manager.getManagedArrays().size(), "autograd path leaks");
        }
    }

    private Map<String, NDArray> grads(int t) {
        float[] gw = new float[6];
        float[] gb = new float[3];
        for (int i = 0; i < 6; i++) {
            gw[i] = (float) (Math.sin(t * 1.3 + i) * 0.7);
        }
        for (int i = 0; i < 3; i++) {
            gb[i] = (float) (Math.cos(t * 0.4 + i) * 0.1);
        }
        return Map.of("blocks.0.fc.weight", manager.create(gw, new Shape(2, 3)),
                "blocks.0.fc.bias", manager.create(gb, new Shape(3)));
    }

    @Test
    void fusedKernelMatchesPerOpLoop() {
        assertTrue(AdamW.fusedKernelLoaded(), "torch._fused_adamw_ should load on the PyTorch CPU engine");
        ai.djl.util.RandomUtils.RANDOM.setSeed(7);
        Map<String, NDArray> a = new LinkedHashMap<>();
        Map<String, NDArray> b = new LinkedHashMap<>();
        String[] names = {"blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias", "blocks.0.norm1.weight"};
        Shape[] shapes = {new Shape(48, 16), new Shape(48), new Shape(16)};
        Map<String, float[]> initial = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            NDArray x = manager.randomNormal(shapes[i]);
            NDArray y = x.duplicate();
            initial.put(names[i], x.toFloatArray());
            x.setRequiresGradient(true);
            y.setRequiresGradient(true);
            a.put(names[i], x);
            b.put(names[i], y);
        }
        try (AdamW fused = AdamW.builder().build(a); AdamW loop = AdamW.builder().build(b)) {
            loop.useLoop();
            for (int t = 0; t < 4; t++) {
                Map<String, NDArray> ga = new LinkedHashMap<>();
                Map<String, NDArray> gb = new LinkedHashMap<>();
                for (int i = 0; i < names.length; i++) {
                    NDArray g = manager.randomNormal(shapes[i]).mul(t + 1f); // varying scale: moments differ by step
                    ga.put(names[i], g);
                    gb.put(names[i], g);
                }
                fused.step(ga, 1e-2, 0.05);
                loop.step(gb, 1e-2, 0.05);
            }
            for (String n : names) {
                float[] x = a.get(n).toFloatArray();
                float[] y = b.get(n).toFloatArray();
                double[] expected = new double[y.length];
                for (int i = 0; i < y.length; i++) {
                    expected[i] = y[i];
                }
                assertClose(expected, x, 1e-6);
                assertFalse(java.util.Arrays.equals(x, initial.get(n)), n + " did not move");
            }
        }
    }

    static void assertClose(double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1.0, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tol * scale + 1e-7, "element " + i);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
