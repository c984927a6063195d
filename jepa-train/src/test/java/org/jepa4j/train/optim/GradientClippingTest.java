package org.jepa4j.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    /** Parameters a [2] and b [2] whose gradients are set to ga and gb by one backward pass. */
    private static Map<String, NDArray> withGradients(NDManager m, float[] ga, float[] gb) {
        NDArray a = m.zeros(new Shape(2));
        NDArray b = m.zeros(new Shape(2));
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(a.mul(m.create(ga)).sum().add(b.mul(m.create(gb)).sum()));
        }
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("a", a);
        p.put("b", b);
        return p;
    }

    @Test
    void clipsNegativeAndPositiveGradientsByTheGlobalNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = withGradients(m, new float[] {3, -4}, new float[] {0, -12});
            double norm = GradientClipping.clipByGlobalNorm(p, 6.5);
            assertEquals(13.0, norm, 1e-5);
            double c = 6.5 / (13.0 + 1e-6);
            assertArrayEquals(new float[] {(float) (3 * c), (float) (-4 * c)}, p.get("a").getGradient().toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {0, (float) (-12 * c)}, p.get("b").getGradient().toFloatArray(), 1e-5f);
            assertEquals(6.5, Gradients.globalNorm(p), 1e-5);
        }
    }

    @Test
    void leavesSmallGradientsAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = withGradients(m, new float[] {3, -4}, new float[] {0, 0});
            assertEquals(5.0, GradientClipping.clipByGlobalNorm(p, 10.0), 1e-6);
            assertArrayEquals(new float[] {3, -4}, p.get("a").getGradient().toFloatArray());
        }
    }

    @Test
    void reportsNonFiniteNormsAndZeroClearsNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = withGradients(m, new float[] {Float.NaN, 1}, new float[] {1, 1});
            assertTrue(Double.isNaN(GradientClipping.clipByGlobalNorm(p, 1.0)));
            Gradients.zero(p);
            assertArrayEquals(new float[] {0, 0}, p.get("a").getGradient().toFloatArray());
            assertEquals(0.0, Gradients.globalNorm(p));
            Map<String, NDArray> q = withGradients(m, new float[] {2, 4}, new float[] {6, 8});
            Gradients.scale(q, 0.5);
            assertArrayEquals(new float[] {1, 2}, q.get("a").getGradient().toFloatArray());
            assertArrayEquals(new float[] {3, 4}, q.get("b").getGradient().toFloatArray());
        }
    }
}
