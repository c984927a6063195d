package org.jepa4j.core.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.tensor.NoGrad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EMA update: closed form, no growth of live arrays, no autograd, layout checks, exact copy. */
class EmaUpdaterTest {

    private NDManager root;
    private NDManager targetManager;
    private NDManager onlineManager;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        targetManager = root.newSubManager();
        onlineManager = root.newSubManager();
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private static float[] random(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    /** A small "model": two parameters with the project's naming. */
    private Map<String, NDArray> params(NDManager m, float[] w, float[] b) {
        Map<String, NDArray> map = new LinkedHashMap<>();
        map.put("blocks.0.attn.qkv.weight", m.create(w, new Shape(6, 4)));
        map.put("blocks.0.attn.qkv.bias", m.create(b, new Shape(6)));
        return map;
    }

    @Test
    void thousandUpdatesMatchTheClosedFormAndLeaveNoNewArrays() {
        Random r = new Random(1);
        float[] t0w = random(r, 24, 1.0);
        float[] t0b = random(r, 6, 1.0);
        float[] cw = random(r, 24, 0.5);
        float[] cb = random(r, 6, 0.5);
        Map<String, NDArray> target = params(targetManager, t0w, t0b);
        Map<String, NDArray> online = params(onlineManager, cw, cb);
        online.values().forEach(a -> a.setRequiresGradient(true)); // as trainable parameters are

        int targetCount = targetManager.getManagedArrays().size();
        int onlineCount = onlineManager.getManagedArrays().size();
        int rootCount = root.getManagedArrays().size();
        double m = 0.99;
        int k = 1000;
        for (int step = 0; step < k; step++) {
            EmaUpdater.update(target, online, m);
        }
        assertEquals(targetCount, targetManager.getManagedArrays().size(), "no arrays left in the target manager");
        assertEquals(onlineCount, onlineManager.getManagedArrays().size(), "no arrays left in the online manager");
        assertEquals(rootCount, root.getManagedArrays().size(), "no arrays left anywhere under the root");

        double mk = Math.pow(m, k);
        assertClosedForm(t0w, cw, mk, target.get("blocks.0.attn.qkv.weight").toFloatArray());
        assertClosedForm(t0b, cb, mk, target.get("blocks.0.attn.qkv.bias").toFloatArray());
        assertArrayEquals(cw, online.get("blocks.0.attn.qkv.weight").toFloatArray(), "online is untouched");
    }

    @Test
    void fewUpdatesMatchTheClosedFormWhereTheStartStillMatters() {
        Random r = new Random(2);
        float[] t0w = random(r, 24, 1.0);
        float[] t0b = random(r, 6, 1.0);
        float[] cw = random(r, 24, 1.0);
        float[] cb = random(r, 6, 1.0);
        Map<String, NDArray> target = params(targetManager, t0w, t0b);
        Map<String, NDArray> online = params(onlineManager, cw, cb);
        double m = 0.9;
        for (int step = 0; step < 7; step++) {
            EmaUpdater.update(target, online, m);
        }
        double mk = Math.pow(m, 7); // 0.478: both terms weigh
        assertClosedForm(t0w, cw, mk, target.get("blocks.0.attn.qkv.weight").toFloatArray());
        assertClosedForm(t0b, cb, mk, target.get("blocks.0.attn.qkv.bias").toFloatArray());
    }

    private static void assertClosedForm(float[] t0, float[] c, double mk, float[] actual) {
        for (int i = 0; i < t0.length; i++) {
            double expected = mk * t0[i] + (1 - mk) * c[i];
            assertEquals(expected, actual[i], 1e-5, "element " + i);
        }
    }

    @Test
    void multiTensorUpdateEqualsTheLoopBitForBit() {
        Random r = new Random(3);
        float[] w = random(r, 6 * 4, 1.0);
        float[] b = random(r, 6, 1.0);
        float[] cw = random(r, 6 * 4, 1.0);
        float[] cb = random(r, 6, 1.0);
        Map<String, NDArray> foreachTarget = params(targetManager, w.clone(), b.clone());
        Map<String, NDArray> loopTarget = params(targetManager, w.clone(), b.clone());
        Map<String, NDArray> online = params(onlineManager, cw, cb);
        foreachTarget.put("big", targetManager.randomNormal(new Shape(1031)));
        loopTarget.put("big", foreachTarget.get("big").duplicate());
        online.put("big", onlineManager.randomNormal(new Shape(1031)));
        assertTrue(ForeachEmaKernel.isAvailable(foreachTarget.values()), "the multi-tensor kernel loads on PyTorch");
        for (double m : new double[] {0.9973, 0.5, 0.999, 0.1234567}) {
            EmaUpdater.updateForeach(foreachTarget, online, m);
            EmaUpdater.updateLoop(loopTarget, online, m);
        }
        for (String k : loopTarget.keySet()) {
            assertArrayEquals(loopTarget.get(k).toFloatArray(), foreachTarget.get(k).toFloatArray(), 0f, k);
        }
        assertFalse(java.util.Arrays.equals(w, foreachTarget.get("blocks.0.attn.qkv.weight").toFloatArray()));
    }

    @Test
    void momentumOneKeepsAndZeroCopies() {
        Map<String, NDArray> target = params(targetManager, new float[24], new float[6]);
        float[] cw = random(new Random(3), 24, 1.0);
        float[] cb = random(new Random(4), 6, 1.0);
        Map<String, NDArray> online = params(onlineManager, cw, cb);
        EmaUpdater.update(target, online, 1.0);
        assertArrayEquals(new float[24], target.get("blocks.0.attn.qkv.weight").toFloatArray());
        EmaUpdater.update(target, online, 0.0);
        assertArrayEquals(cw, target.get("blocks.0.attn.qkv.weight").toFloatArray());
        assertArrayEquals(cb, target.get("blocks.0.attn.qkv.bias").toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> EmaUpdater.update(target, online, 1.5));
        assertThrows(IllegalArgumentException.class, () -> EmaUpdater.update(target, online, Double.NaN));
    }

    @Test
    void updateInsideAGradientCollectorRecordsNoGraph() {
        Map<String, NDArray> target = params(targetManager, new float[24], new float[6]);
        Map<String, NDArray> online = params(onlineManager, random(new Random(5), 24, 1), random(new Random(6), 6, 1));
        online.values().forEach(a -> a.setRequiresGradient(true));
        NDArray c = online.get("blocks.0.attn.qkv.bias");
        NDArray t = target.get("blocks.0.attn.qkv.bias");
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            assertTrue(NoGrad.isGradEnabled(), "a collector turns grad mode on");
            EmaUpdater.update(target, online, 0.5);
            assertTrue(NoGrad.isGradEnabled(), "grad mode restored after the update");
            // Had the update been recorded, t = 0.5 * c would carry history and d(sum t)/dc would be 0.5.
            // (JniUtils.requiresGrad is not a reliable probe for non-leaf results, and getGradientFunctionNames
            // crashes the JVM on a leaf, so the graph is observed through backward.)
            NDArray loss = t.sum().add(c.sum().mul(0f));
            gc.backward(loss);
            assertArrayEquals(new float[6], c.getGradient().toFloatArray(), "no gradient flows through the EMA");
        }
        assertFalse(JniUtils.requiresGrad((PtNDArray) t), "target is still a plain leaf");
    }

    @Test
    void mismatchedMapsAreListed() {
        Map<String, NDArray> target = params(targetManager, new float[24], new float[6]);
        Map<String, NDArray> online = new LinkedHashMap<>();
        online.put("blocks.0.attn.qkv.weight", onlineManager.zeros(new Shape(4, 6)));
        online.put("blocks.0.extra", onlineManager.zeros(new Shape(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmaUpdater.update(target, online, 0.9));
        String msg = e.getMessage();
        assertTrue(msg.contains("3 mismatches"), msg);
        assertTrue(msg.contains("'blocks.0.attn.qkv.weight' shape target (6, 4) vs online (4, 6)"), msg);
        assertTrue(msg.contains("'blocks.0.attn.qkv.bias' missing from online"), msg);
        assertTrue(msg.contains("'blocks.0.extra' missing from target"), msg);
    }

    @Test
    void unfrozenTargetIsRefusedAndFreezeFixesIt() {
        Map<String, NDArray> target = params(targetManager, new float[24], new float[6]);
        Map<String, NDArray> online = params(onlineManager, new float[24], new float[6]);
        target.values().forEach(a -> a.setRequiresGradient(true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmaUpdater.update(target, online, 0.9));
        assertTrue(e.getMessage().contains("requires gradients"), e.getMessage());
        EmaUpdater.freeze(target);
        for (NDArray t : target.values()) {
            assertFalse(JniUtils.requiresGrad((PtNDArray) t));
        }
        EmaUpdater.update(target, online, 0.9);
    }

    @Test
    void copyIntoIsExactAndDoesNotAlias() {
        float[] cw = random(new Random(7), 24, 1.0);
        cw[3] = Float.NaN;
        cw[5] = Float.NEGATIVE_INFINITY;
        cw[7] = -0.0f;
        float[] cb = random(new Random(8), 6, 1e-30);
        float[] start = new float[24];
        java.util.Arrays.fill(start, Float.NaN); // a NaN start must not survive the copy
        Map<String, NDArray> target = params(targetManager, start, new float[6]);
        Map<String, NDArray> online = params(onlineManager, cw, cb);
        online.values().forEach(a -> a.setRequiresGradient(true));
        int before = root.getManagedArrays().size();
        EmaUpdater.copyInto(target, online);
        assertEquals(before, root.getManagedArrays().size());
        float[] tw = target.get("blocks.0.attn.qkv.weight").toFloatArray();
        for (int i = 0; i < cw.length; i++) {
            assertEquals(Float.floatToRawIntBits(cw[i]), Float.floatToRawIntBits(tw[i]), "bitwise copy at " + i);
        }
        assertArrayEquals(cb, target.get("blocks.0.attn.qkv.bias").toFloatArray());
        for (NDArray t : target.values()) {
            assertFalse(JniUtils.requiresGrad((PtNDArray) t), "copy does not make the target trainable");
        }
        // changing the source afterwards leaves the copy alone
        try (NoGrad ignored = NoGrad.enter()) {
            online.get("blocks.0.attn.qkv.bias").addi(1f);
        }
        assertArrayEquals(cb, target.get("blocks.0.attn.qkv.bias").toFloatArray());
    }
}
