package org.jepa4j.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.core.loss.JepaLoss;
import org.junit.jupiter.api.Test;

/**
 * Differentiable arithmetic with scalars must survive a garbage collection between forward and backward. DJL's
 * {@code mul(Number)} fails this (its scalar's Java memory is freed and reused before backward reads it); the
 * losses and attention use {@link Scalars} instead.
 */
class ScalarsTest {

    /** Collects garbage and refills freed small direct buffers with NaN, as a busy JVM would reuse them. */
    private static void churn() throws InterruptedException {
        List<ByteBuffer> keep = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 20_000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                b.putFloat(0, Float.NaN);
                keep.add(b);
            }
        }
    }

    @Test
    void scalarProductGradientSurvivesGarbageCollection() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 5; trial++) {
                NDArray x = m.ones(new Shape(4));
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = x.mul(Scalars.like(x, 3)).sum();
                    churn();
                    gc.backward(y);
                }
                assertEquals(3f, x.getGradient().toFloatArray()[0], 0f, "trial " + trial);
            }
        }
    }

    @Test
    void lossGradientsSurviveGarbageCollection() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] p = {0.5f, -1.0f, 2.0f, -3.0f};
            NDArray pred = m.create(p, new Shape(1, 2, 2));
            pred.setRequiresGradient(true);
            NDArray target = m.zeros(new Shape(1, 2, 2));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // exponent 1.5 over two identical sets: d/dp mean(|p|^1.5)/1.5 = sign(p) |p|^0.5 / 4 (per set, mean of 2)
                NDArray vjepa = JepaLoss.vjepaLoss(List.of(pred, pred), List.of(target, target), 1.5);
                // smooth L1 with beta 2: gradient clamp(p, -2, 2) / 2 / 4
                NDArray huber = JepaLoss.smoothL1(pred, target, 2f);
                NDArray total = vjepa.add(huber);
                churn();
                gc.backward(total);
            }
            float[] g = pred.getGradient().toFloatArray();
            for (int i = 0; i < p.length; i++) {
                double expected = Math.signum(p[i]) * Math.sqrt(Math.abs(p[i])) / 4
                        + Math.max(-2, Math.min(2, p[i])) / 2 / 4;
                assertEquals(expected, g[i], 1e-5, "gradient " + i);
            }
        }
    }
}
