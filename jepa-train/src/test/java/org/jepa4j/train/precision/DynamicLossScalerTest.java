package org.jepa4j.train.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GradScaler semantics of the scale schedule, the fused un-scale/check/norm, state round trips. */
class DynamicLossScalerTest {

    @Test
    void defaultsAreThoseOfGradScaler() {
        DynamicLossScaler s = DynamicLossScaler.builder().build();
        assertEquals(65536.0, s.scale());
        for (int i = 0; i < 1999; i++) {
            assertTrue(s.update(true));
        }
        assertEquals(65536.0, s.scale(), "no growth before 2000 clean steps");
        s.update(true);
        assertEquals(131072.0, s.scale(), "x2 after 2000 clean steps");
        assertEquals(0, s.growthTracker());
        assertFalse(s.update(false));
        assertEquals(65536.0, s.scale(), "x0.5 on overflow");
    }

    @Test
    void overflowBacksOffAndResetsTheGrowthTracker() {
        DynamicLossScaler s = DynamicLossScaler.builder().optInitScale(1024).optGrowthInterval(3).build();
        s.update(true);
        s.update(true);
        assertEquals(2, s.growthTracker());
        assertFalse(s.update(false));
        assertFalse(s.update(false));
        assertEquals(256.0, s.scale());
        assertEquals(0, s.growthTracker());
        assertEquals(2, s.skippedSteps());
        assertEquals(2, s.consecutiveSkips());
        s.update(true);
        s.update(true);
        assertEquals(256.0, s.scale());
        s.update(true);
        assertEquals(512.0, s.scale(), "grows after 3 clean steps since the overflow");
        assertEquals(0, s.consecutiveSkips());
        assertEquals(2, s.skippedSteps());
    }

    @Test
    void disabledScalerStaysAtOneButStillSkipsNonFiniteSteps() {
        DynamicLossScaler s = DynamicLossScaler.disabled();
        assertFalse(s.update(false));
        for (int i = 0; i < 5000; i++) {
            s.update(true);
        }
        assertEquals(1.0, s.scale());
        assertEquals(1, s.skippedSteps());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss = m.create(3f);
            assertSame(loss, s.scaleLoss(loss), "scale 1 does not touch the loss");
        }
    }

    @Test
    void unscaleConvertsChecksAndMeasuresInOnePass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, -2, 3, 0.5f}, new Shape(2, 2)).toType(DataType.FLOAT16, false);
            NDArray b = m.create(new float[] {0.25f, 4f, -1f}).toType(DataType.FLOAT16, false);
            NDArray frozen = m.create(new float[] {7f}).toType(DataType.FLOAT16, false);
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("a", a);
            params.put("frozen", frozen);
            params.put("b", b);
            DynamicLossScaler s = DynamicLossScaler.builder().optInitScale(1024).build();
            // loss = sum(a^2)/2 + sum(3 b): grads a and 3; scaled by 1024 in float16
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = Upcast.differentiable(a).square().sum().div(2f)
                        .add(Upcast.differentiable(b).mul(3f).sum());
                assertEquals(DataType.FLOAT32, loss.getDataType());
                gc.backward(s.scaleLoss(loss));
            }
            assertEquals(DataType.FLOAT16, a.getGradient().getDataType());
            try (UnscaledGradients g = s.unscale(params)) {
                assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(g.gradients().keySet()));
                assertTrue(g.allFloat32());
                assertTrue(g.isFinite());
                assertEquals(new Shape(2, 2), g.gradients().get("a").getShape());
                float[] ga = g.gradients().get("a").toFloatArray();
                float[] gb = g.gradients().get("b").toFloatArray();
                assertEquals(1f, ga[0], 1e-3);
                assertEquals(-2f, ga[1], 1e-3);
                assertEquals(3f, gb[2], 1e-3);
                double expected = Math.sqrt(1 + 4 + 9 + 0.25 + 3 * 9);
                assertEquals(expected, g.norm(), 1e-3 * expected);
                double factor = g.clip(1.0);
                assertEquals(1.0 / (g.norm() + 1e-6), factor, 1e-12);
                NDArray all = g.gradients().get("a").square().sum().add(g.gradients().get("b").square().sum());
                assertEquals(1.0, Math.sqrt(all.getFloat()), 1e-4, "clipped to norm 1");
            }
            // an Inf anywhere makes the step non-finite
            a.getGradient().set(new ai.djl.ndarray.index.NDIndex("0, 1"), Float.POSITIVE_INFINITY);
            try (UnscaledGradients g = s.unscale(params)) {
                assertFalse(g.isFinite());
                assertEquals(1.0, g.clip(1.0), "non-finite gradients are not clipped");
            }
            b.getGradient().set(new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
            try (UnscaledGradients g = s.unscale(params)) {
                assertFalse(g.isFinite());
            }
        }
    }

    @Test
    void stateRoundTripsThroughArraysAndValues() {
        DynamicLossScaler s = DynamicLossScaler.builder().optInitScale(4096).optGrowthInterval(10).build();
        s.update(false);
        s.update(true);
        s.update(true);
        DynamicLossScaler restored = DynamicLossScaler.builder().optGrowthInterval(10).build();
        try (NDManager m = NDManager.newBaseManager()) {
            restored.loadState(s.exportState(m));
        }
        assertEquals(s.state(), restored.state());
        assertEquals(new DynamicLossScaler.State(2048.0, 2, 1), restored.state());
        DynamicLossScaler other = DynamicLossScaler.builder().build();
        other.restore(s.state());
        assertEquals(s.state(), other.state());
        assertThrows(IllegalArgumentException.class, () -> other.restore(new DynamicLossScaler.State(0, 0, 0)));
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> partial = new LinkedHashMap<>(s.exportState(m));
            partial.remove(DynamicLossScaler.GROWTH_TRACKER);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadState(partial));
            assertTrue(e.getMessage().contains("growth_tracker"), e.getMessage());
        }
    }
}
