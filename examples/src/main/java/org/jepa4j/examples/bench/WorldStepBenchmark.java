package org.jepa4j.examples.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.tensor.Autograd;
import org.jepa4j.core.world.AcPredictorConfig;
import org.jepa4j.core.world.ActionConditionedPredictor;
import org.jepa4j.train.optim.Gradients;
import org.jepa4j.train.world.WorldModelStep;

/**
 * Milliseconds per forward + backward of the action-conditioned predictor's training losses (teacher forcing plus
 * rollout) at {@code world demo}'s sizes (16 tokens of width 96 per frame, predictor width 96, depth 1, 4 heads,
 * clips of 7 frames, a 6-step rollout, 2-D actions): {@link WorldModelStep#losses}, whose rollout feeds one frame per
 * pass over a key/value cache, against the reference's rollout that runs the predictor on the whole growing sequence
 * at every rollout step (the baseline, written out here and measured in the same run). The weights are random: the
 * cost does not depend on them. Run: {@code jepa4j bench --only world_step}.
 */
public final class WorldStepBenchmark {

    private WorldStepBenchmark() {
    }

    /**
     * Figures of one run (medians over the timed steps, the first left out as warm-up).
     *
     * @param batch clips per step
     * @param frames frames per clip
     * @param autoSteps rollout steps
     * @param msCached ms per forward + backward with the cached rollout
     * @param msReference ms per forward + backward with the growing-sequence rollout
     * @param speedup {@code msReference / msCached}
     * @param maxLossDifference largest difference between the two ways' losses (same inputs and weights)
     */
    public record Result(int batch, int frames, int autoSteps, double msCached, double msReference, double speedup,
            double maxLossDifference) {
    }

    /** The demo's predictor sizes. */
    static AcPredictorConfig demoConfig() {
        return new AcPredictorConfig(64, 64, 16, 64, 2, 96, 96, 1, 4, 4.0, 2, true, true, false, false, true);
    }

    /**
     * Runs the benchmark.
     *
     * @param batch clips per step
     * @param frames frames per clip
     * @param autoSteps rollout steps (at most frames - 1)
     * @param steps timed steps per variant (plus one warm-up)
     * @return the figures
     */
    public static Result run(int batch, int frames, int autoSteps, int steps) {
        AcPredictorConfig cfg = demoConfig();
        int hw = cfg.tokensPerFrame();
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor p = new ActionConditionedPredictor(cfg, m, 5);
            Map<String, NDArray> params = p.trainableParameters();
            for (NDArray w : params.values()) {
                w.setRequiresGradient(true);
            }
            NDArray h = JepaLoss.layerNormNoAffine(m.randomNormal(new Shape(batch, (long) frames * hw,
                    cfg.embedDim()))); // [B, T*HW, E]
            NDArray actions = m.randomNormal(new Shape(batch, frames - 1, 2)); // [B, T-1, A]
            NDArray states = m.zeros(new Shape(batch, frames, 2)); // [B, T, A]
            WorldModelStep step = new WorldModelStep(p, null, autoSteps, 1.0, true);
            Supplier<NDArray[]> cached = () -> step.losses(h, actions, states);
            Supplier<NDArray[]> reference = () -> step.referenceLosses(h, actions, states);
            double[] a = lossesAndBackward(cached, params);
            double[] b = lossesAndBackward(reference, params);
            double diff = Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]));
            double msCached = median(cached, params, steps);
            double msReference = median(reference, params, steps);
            Result r = new Result(batch, frames, autoSteps, round(msCached), round(msReference),
                    round(msReference / msCached), diff);
            System.out.printf("world step: batch %d, %d frames, %d-step rollout: %.1f ms cached rollout, %.1f ms "
                    + "growing-sequence rollout (x%.2f), max loss difference %.2g%n", batch, frames, autoSteps,
                    msCached, msReference, msReference / msCached, diff);
            return r;
        }
    }

    private static double[] lossesAndBackward(Supplier<NDArray[]> losses, Map<String, NDArray> params) {
        Gradients.zero(params);
        try (NDScope scope = new NDScope(); Autograd rec = Autograd.record()) {
            NDArray[] l = losses.get();
            Autograd.backward(l[0].add(l[1]));
            return new double[] {l[0].getFloat(), l[1].getFloat()};
        }
    }

    private static double median(Supplier<NDArray[]> losses, Map<String, NDArray> params, int steps) {
        lossesAndBackward(losses, params); // warm-up
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            lossesAndBackward(losses, params);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[steps / 2];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
