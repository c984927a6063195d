package org.jepa4j.examples.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.jepa4j.core.world.AcPredictorConfig;
import org.jepa4j.core.world.ActionConditionedPredictor;
import org.jepa4j.train.plan.AcPredictorDynamics;
import org.jepa4j.train.plan.CemConfig;
import org.jepa4j.train.plan.CemPlanner;
import org.jepa4j.train.plan.EnergyMode;
import org.jepa4j.train.plan.GoalEnergy;
import org.jepa4j.train.plan.LatentDynamics;

/**
 * Milliseconds per CEM replan (top 8) with the toy world's predictor ({@code world demo}'s sizes: 64 px frames, patch 16,
 * so 16 tokens of width 96 per frame, predictor width 64, depth 2, 4 heads, 2-D actions), with the key/value-cached
 * rollout of {@link AcPredictorDynamics} against the full block-causal pass over the whole imagined sequence at
 * every imagined step (the baseline, measured in the same run). The weights are random: the cost of a replan does
 * not depend on them. Run: {@code jepa4j bench --only plan}.
 */
public final class PlanningBenchmark {

    private PlanningBenchmark() {
    }

    /**
     * Figures of one run (medians over the timed replans, the first left out as warm-up).
     *
     * @param horizon imagined steps per candidate
     * @param samples candidates per CEM iteration
     * @param iterations CEM iterations per replan
     * @param tokensPerFrame patch tokens per frame
     * @param msCached ms per replan with the cached rollout
     * @param msFull ms per replan with a full pass per imagined step
     * @param speedup {@code msFull / msCached}
     * @param maxPlanDifference largest difference between the two rollouts' imagined tokens (same candidates)
     */
    public record Result(int horizon, int samples, int iterations, int tokensPerFrame, double msCached,
            double msFull, double speedup, double maxPlanDifference) {
    }

    /** The toy world's predictor sizes (as {@code world demo} trains it). */
    static AcPredictorConfig toyConfig() {
        return new AcPredictorConfig(64, 64, 16, 64, 2, 96, 64, 2, 4, 4.0, 2, true, true, false, false, true);
    }

    /**
     * Runs the benchmark.
     *
     * @param horizon imagined steps
     * @param samples candidates per iteration
     * @param iterations CEM iterations
     * @param replans timed replans per variant (plus one warm-up)
     * @return the figures
     */
    public static Result run(int horizon, int samples, int iterations, int replans) {
        AcPredictorConfig cfg = toyConfig();
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor predictor = new ActionConditionedPredictor(cfg, m, 5);
            LatentDynamics cached = new AcPredictorDynamics(predictor);
            LatentDynamics full = new FullPassDynamics(predictor);
            int n = cfg.tokensPerFrame();
            NDArray tokens = GoalEnergy.layerNorm(m.randomNormal(new Shape(n, cfg.embedDim()))); // [N, D]
            NDArray goal = GoalEnergy.layerNorm(m.randomNormal(new Shape(n, cfg.embedDim()))); // [N, D]
            double[] state = {0.3, 0.5};
            double diff;
            try (NDManager s = m.newSubManager()) {
                NDArray a = s.randomNormal(new Shape(8, horizon, 2)).mul(0.1); // [S, H, A]
                NDArray st = s.create(new float[] {0.3f, 0.5f});
                diff = cached.rollout(tokens, st, a).sub(full.rollout(tokens, st, a)).abs().max().getFloat();
            }
            CemConfig cem = CemConfig.builder(2, 0.15).optHorizon(horizon).optSamples(samples)
                    .optTopK(Math.min(8, samples)).optIterations(iterations).optEnergyMode(EnergyMode.ALL_FRAMES)
                    .build();
            double msCached = median(new CemPlanner(cached, cem), tokens, state, goal, replans);
            double msFull = median(new CemPlanner(full, cem), tokens, state, goal, replans);
            Result r = new Result(horizon, samples, iterations, n, round(msCached), round(msFull),
                    round(msFull / msCached), diff);
            System.out.printf("planning: %d samples x %d iterations, horizon %d: %.1f ms per replan cached, %.1f ms "
                    + "full pass (x%.2f), max difference %.2g%n", samples, iterations, horizon, msCached, msFull,
                    msFull / msCached, diff);
            return r;
        }
    }

    private static double median(CemPlanner planner, NDArray tokens, double[] state, NDArray goal, int replans) {
        planner.plan(tokens, state, goal); // warm-up
        double[] ms = new double[replans];
        for (int i = 0; i < replans; i++) {
            ms[i] = planner.plan(tokens, state, goal).millis();
        }
        Arrays.sort(ms);
        return ms[replans / 2];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The baseline: a full forward over the real and all imagined frames at every imagined step, no cache. */
    private static final class FullPassDynamics implements LatentDynamics {

        private final ActionConditionedPredictor predictor;

        FullPassDynamics(ActionConditionedPredictor predictor) {
            this.predictor = predictor;
        }

        @Override
        public int actionDim() {
            return predictor.config().actionEmbedDim();
        }

        @Override
        public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
            Shape as = actions.getShape();
            long s = as.get(0);
            int h = (int) as.get(1);
            long n = tokens.getShape().get(0);
            long d = tokens.getShape().get(1);
            NDArray states = AcPredictorDynamics.imaginedStates(state, actions); // [S, H+1, A]
            NDArray sequence = tokens.expandDims(0).broadcast(new Shape(s, n, d)); // [S, N, D]
            NDList imagined = new NDList(h);
            for (int step = 0; step < h; step++) {
                String upTo = ":, :" + (step + 1) + ", :";
                NDArray out = predictor.forward(sequence, actions.get(upTo), states.get(upTo), null); // [S, (t+1)N, D]
                NDArray next = GoalEnergy.layerNorm(out.get(":, " + (step * n) + ":, :")); // [S, N, D]
                imagined.add(next.expandDims(1)); // [S, 1, N, D]
                sequence = sequence.concat(next, 1); // [S, (t+2)N, D]
            }
            return NDArrays.concat(imagined, 1); // [S, H, N, D]
        }
    }
}
