package org.jepa4j.train.precision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link UnscaledGradients#clipEach}: each name-prefix group is clipped by its own norm, as clip_grad_norm_ per network. */
class ClipEachTest {

    @Test
    void eachGroupIsClippedByItsOwnNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e1 = m.create(new float[] {0, 0});
            NDArray e2 = m.create(new float[] {0});
            NDArray p1 = m.create(new float[] {0, 0});
            NDArray other = m.create(new float[] {0});
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("encoder.a", e1);
            params.put("predictor.b", p1);
            params.put("encoder.c", e2);
            params.put("other", other);
            params.values().forEach(p -> p.setRequiresGradient(true));
            // gradients: encoder (3, 0) and (4) -> norm 5; predictor (0.3, 0.4) -> norm 0.5; other (9)
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = e1.mul(m.create(new float[] {3, 0})).sum().add(e2.mul(4f).sum())
                        .add(p1.mul(m.create(new float[] {0.3f, 0.4f})).sum()).add(other.mul(9f).sum());
                gc.backward(loss);
            }
            DynamicLossScaler s = DynamicLossScaler.disabled();
            try (UnscaledGradients g = s.unscale(params)) {
                assertTrue(g.clipEach(1.0, List.of("encoder.", "predictor.")));
                float f = (float) (1.0 / (5.0 + 1e-6));
                assertArrayEquals(new float[] {3 * f, 0}, g.gradients().get("encoder.a").toFloatArray(), 1e-6f);
                assertArrayEquals(new float[] {4 * f}, g.gradients().get("encoder.c").toFloatArray(), 1e-6f);
                // below the limit: untouched (a global clip would have scaled it by ~1/10.3)
                assertArrayEquals(new float[] {0.3f, 0.4f}, g.gradients().get("predictor.b").toFloatArray(), 1e-7f);
                // in no group: untouched
                assertArrayEquals(new float[] {9f}, g.gradients().get("other").toFloatArray(), 0f);
            }
            try (UnscaledGradients g = s.unscale(params)) {
                assertFalse(g.clipEach(10.0, List.of("encoder.", "predictor.")), "no group above 10");
                assertFalse(g.clipEach(Double.NaN, List.of("encoder.")), "NaN: no clipping");
            }
        }
    }
}
