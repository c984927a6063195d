package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.jepa4j.core.tensor.NoGrad;

/**
 * Plans an action sequence toward a goal representation with the cross-entropy method: keep a Gaussian over
 * action sequences (mean 0, std = initial std at the start), and per iteration draw {@code samples} sequences,
 * clip them to the bounds, imagine them all with the dynamics in one batched rollout, score them with
 * {@link GoalEnergy}, and move mean and std toward the statistics of the {@code topK} best with momentum. The
 * plan is the final mean (or, with {@link CemConfig#holdCheck()}, no motion at all when the world model predicts
 * that holding still scores at least as well). The candidates come from a {@link Random} seeded from the config's
 * seed and a call counter, so a planner replays the same plans for the same inputs.
 */
public final class CemPlanner {

    private final LatentDynamics dynamics;
    private final CemConfig config;
    private long calls;

    /**
     * Creates a planner.
     *
     * @param dynamics the world model to imagine with
     * @param config the CEM settings (action dimension must equal the dynamics')
     */
    public CemPlanner(LatentDynamics dynamics, CemConfig config) {
        if (config.actionDim() != dynamics.actionDim()) {
            throw new IllegalArgumentException("action bounds have " + config.actionDim()
                    + " dimensions but the dynamics take actions of dimension " + dynamics.actionDim());
        }
        this.dynamics = dynamics;
        this.config = config;
    }

    /** @return the settings */
    public CemConfig config() {
        return config;
    }

    /**
     * Plans from the current observation toward the goal.
     *
     * @param tokens current frame's tokens {@code [N, D]}
     * @param state current state {@code [A]}
     * @param goal goal frame's tokens {@code [N, D]}
     * @return the plan
     */
    public Plan plan(NDArray tokens, double[] state, NDArray goal) {
        return plan(tokens, state, goal, null);
    }

    /**
     * Plans from the current observation toward the goal, starting the search from a given mean (warm start: the
     * previous plan shifted by the actions executed since, as model-predictive controllers commonly do); the std
     * starts at the configured initial std either way.
     *
     * @param tokens current frame's tokens {@code [N, D]}
     * @param state current state {@code [A]}
     * @param goal goal frame's tokens {@code [N, D]}
     * @param initialMean mean of the first iteration {@code [H][A]}, or null for zeros
     * @return the plan
     * @throws IllegalArgumentException if the goal's shape differs from the tokens' or the initial mean is not
     *     {@code [H][A]}
     */
    public Plan plan(NDArray tokens, double[] state, NDArray goal, double[][] initialMean) {
        if (!tokens.getShape().equals(goal.getShape()) || tokens.getShape().dimension() != 2) {
            throw new IllegalArgumentException("goal tokens " + goal.getShape()
                    + " must have the shape of the current tokens " + tokens.getShape() + " ([N, D])");
        }
        long start = System.nanoTime();
        int h = config.horizon();
        int a = config.actionDim();
        int s = config.samples();
        double[][] mean = new double[h][a];
        if (initialMean != null) {
            if (initialMean.length != h) {
                throw new IllegalArgumentException("initial mean has " + initialMean.length
                        + " steps, the horizon is " + h);
            }
            for (int t = 0; t < h; t++) {
                if (initialMean[t].length != a) {
                    throw new IllegalArgumentException("initial mean step " + t + " has " + initialMean[t].length
                            + " dimensions, actions have " + a);
                }
                mean[t] = initialMean[t].clone();
            }
        }
        double[][] std = new double[h][];
        for (int t = 0; t < h; t++) {
            std[t] = config.initialStd().clone();
        }
        Random rng = new Random(config.seed() * 0x9E3779B97F4A7C15L + calls++);
        float[] candidates = new float[s * h * a];
        double best = Double.NaN;
        try (NoGrad ignored = NoGrad.enter(); NDManager m = tokens.getManager().newSubManager()) {
            NDArray stateArray = m.create(toFloat(state)); // [A]
            for (int it = 0; it < config.iterations(); it++) {
                for (int i = 0; i < s; i++) {
                    for (int t = 0; t < h; t++) {
                        for (int d = 0; d < a; d++) {
                            double v = mean[t][d] + std[t][d] * rng.nextGaussian();
                            candidates[(i * h + t) * a + d] =
                                    (float) Math.min(config.high()[d], Math.max(config.low()[d], v));
                        }
                    }
                }
                float[] energies;
                try (NDManager step = m.newSubManager()) {
                    NDArray actions = step.create(candidates, new Shape(s, h, a)); // [S, H, A]
                    NDArray predicted = dynamics.rollout(tokens, stateArray, actions); // [S, H, N, D]
                    energies = GoalEnergy.of(predicted, goal, config.energyMode()).toFloatArray(); // [S]
                }
                if (config.actionCost() > 0) {
                    addEffort(energies, candidates, s, h, a);
                }
                Integer[] order = new Integer[s];
                for (int i = 0; i < s; i++) {
                    order[i] = i;
                }
                float[] e = energies;
                Arrays.sort(order, (x, y) -> Float.compare(e[x], e[y]));
                best = e[order[0]];
                int k = config.topK();
                for (int t = 0; t < h; t++) {
                    for (int d = 0; d < a; d++) {
                        double sum = 0;
                        for (int j = 0; j < k; j++) {
                            sum += candidates[(order[j] * h + t) * a + d];
                        }
                        double eliteMean = sum / k;
                        double sq = 0;
                        for (int j = 0; j < k; j++) {
                            double dv = candidates[(order[j] * h + t) * a + d] - eliteMean;
                            sq += dv * dv;
                        }
                        double eliteStd = Math.sqrt(sq / k);
                        mean[t][d] = (1 - config.momentumMean()) * eliteMean + config.momentumMean() * mean[t][d];
                        std[t][d] = (1 - config.momentumStd()) * eliteStd + config.momentumStd() * std[t][d];
                    }
                }
            }
            for (int t = 0; t < h; t++) {
                for (int d = 0; d < a; d++) {
                    mean[t][d] = Math.min(config.high()[d], Math.max(config.low()[d], mean[t][d]));
                }
            }
            if (config.holdCheck() && stillIsBetter(tokens, stateArray, goal, mean, m)) {
                mean = new double[h][a];
            }
        }
        return new Plan(mean, best, (System.nanoTime() - start) / 1e6);
    }

    /**
     * Scores the final mean plan and the plan of all-zero actions in one rollout; true when holding still scores
     * at most the mean's energy (the mean of the elites is not itself guaranteed to beat doing nothing).
     */
    private boolean stillIsBetter(NDArray tokens, NDArray stateArray, NDArray goal, double[][] mean, NDManager m) {
        int h = config.horizon();
        int a = config.actionDim();
        float[] both = new float[2 * h * a]; // candidate 0: the mean, candidate 1: zeros
        for (int t = 0; t < h; t++) {
            for (int d = 0; d < a; d++) {
                both[t * a + d] = (float) mean[t][d];
            }
        }
        float[] e;
        try (NDManager step = m.newSubManager()) {
            NDArray actions = step.create(both, new Shape(2, h, a)); // [2, H, A]
            NDArray predicted = dynamics.rollout(tokens, stateArray, actions); // [2, H, N, D]
            e = GoalEnergy.of(predicted, goal, config.energyMode()).toFloatArray(); // [2]
        }
        if (config.actionCost() > 0) {
            addEffort(e, both, 2, h, a);
        }
        return e[1] <= e[0];
    }

    /** Adds {@code actionCost} x mean over steps of the action norm (in half-range units) to each energy. */
    private void addEffort(float[] energies, float[] candidates, int s, int h, int a) {
        for (int i = 0; i < s; i++) {
            double sum = 0;
            for (int t = 0; t < h; t++) {
                double sq = 0;
                for (int d = 0; d < a; d++) {
                    double half = (config.high()[d] - config.low()[d]) / 2;
                    double v = half > 0 ? candidates[(i * h + t) * a + d] / half : 0;
                    sq += v * v;
                }
                sum += Math.sqrt(sq);
            }
            energies[i] += (float) (config.actionCost() * sum / h);
        }
    }

    /**
     * Restarts the sampling sequence (the next plan is drawn as if this planner were new).
     */
    public void reset() {
        calls = 0;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
