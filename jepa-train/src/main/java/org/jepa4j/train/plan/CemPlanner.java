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
 * that holding still scores at least as well). iCEM's refinements (Pinneri et al. 2020) are options of
 * {@link CemConfig}: coloured sampling noise along the horizon ({@link ColouredNoise}), elites kept across
 * iterations and handed to the next replan, a population that shrinks per iteration, and returning the best sequence
 * scored instead of the mean. With a goal tolerance the planner first compares the observed tokens with the goal
 * and holds still, without searching, when they are that close. The candidates come from a {@link Random} seeded
 * from the config's seed and a call counter, so a planner replays the same plans for the same inputs.
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
        return plan(tokens, state, goal, initialMean, null);
    }

    /**
     * Plans from the current observation toward the goal, starting the search from a given mean and adding given
     * sequences to the first iteration's candidates (iCEM's shifted elites of the previous replan).
     *
     * @param tokens current frame's tokens {@code [N, D]}
     * @param state current state {@code [A]}
     * @param goal goal frame's tokens {@code [N, D]}
     * @param initialMean mean of the first iteration {@code [H][A]}, or null for zeros
     * @param initialElites extra candidates of the first iteration {@code [E][H][A]} (clipped to the bounds), or null
     * @return the plan
     * @throws IllegalArgumentException if the goal's shape differs from the tokens' or the initial mean or an
     *     initial elite is not {@code [H][A]}
     */
    public Plan plan(NDArray tokens, double[] state, NDArray goal, double[][] initialMean,
            double[][][] initialElites) {
        return plan(tokens, state, goal, initialMean, initialElites, null);
    }

    /**
     * Plans as {@link #plan(NDArray, double[], NDArray, double[][], double[][][])} with a penalty on imagined frames
     * near frames already observed added to every candidate's energy ({@link StallEscape}: the controller passes it
     * while planning has stalled).
     *
     * @param tokens current frame's tokens {@code [N, D]}
     * @param state current state {@code [A]}
     * @param goal goal frame's tokens {@code [N, D]}
     * @param initialMean mean of the first iteration {@code [H][A]}, or null for zeros
     * @param initialElites extra candidates of the first iteration {@code [E][H][A]} (clipped to the bounds), or null
     * @param repulsion the penalty, or null for none
     * @return the plan ({@link Plan#energy()} includes the penalty)
     * @throws IllegalArgumentException if the goal's shape differs from the tokens' or the initial mean or an
     *     initial elite is not {@code [H][A]}
     */
    public Plan plan(NDArray tokens, double[] state, NDArray goal, double[][] initialMean,
            double[][][] initialElites, Repulsion repulsion) {
        if (!tokens.getShape().equals(goal.getShape()) || tokens.getShape().dimension() != 2) {
            throw new IllegalArgumentException("goal tokens " + goal.getShape()
                    + " must have the shape of the current tokens " + tokens.getShape() + " ([N, D])");
        }
        long start = System.nanoTime();
        int h = config.horizon();
        int a = config.actionDim();
        int k = config.topK();
        if (config.goalTolerance() > 0) {
            double observed;
            try (NoGrad ignored = NoGrad.enter()) {
                observed = GoalEnergy.ofObservation(tokens, goal); // the current observation, no imagination
            }
            if (observed <= config.goalTolerance()) {
                calls++; // the next plan draws as it would have after a search
                return new Plan(new double[h][a], observed, (System.nanoTime() - start) / 1e6, new double[0],
                        new double[0][][]);
            }
        }
        double[][] mean = new double[h][a];
        if (initialMean != null) {
            checkSequence(initialMean, "initial mean");
            for (int t = 0; t < h; t++) {
                mean[t] = initialMean[t].clone();
            }
        }
        double[][][] extra = initialElites == null ? new double[0][][] : initialElites;
        for (double[][] e : extra) {
            checkSequence(e, "initial elite");
        }
        double[][] std = new double[h][];
        for (int t = 0; t < h; t++) {
            std[t] = config.initialStd().clone();
        }
        Random rng = new Random(config.seed() * 0x9E3779B97F4A7C15L + calls++);
        int seq = h * a;
        float[] kept = new float[0]; // elites carried from the previous iteration [E*H*A]
        float[] keptEnergy = new float[0]; // [E]
        float[] bestSeq = null; // best sequence of any iteration [H*A]
        double bestEver = Double.POSITIVE_INFINITY;
        double best = Double.NaN;
        double[] bestPerIteration = new double[config.iterations()];
        try (NoGrad ignored = NoGrad.enter(); NDManager m = tokens.getManager().newSubManager()) {
            NDArray stateArray = m.create(toFloat(state)); // [A]
            for (int it = 0; it < config.iterations(); it++) {
                int drawn = config.samplesAt(it);
                int seeded = it == 0 ? extra.length : 0;
                boolean scoreMean = config.returnBest() && it == config.iterations() - 1;
                int s = drawn + seeded + (scoreMean ? 1 : 0); // candidates rolled out in this iteration
                float[] candidates = new float[s * seq];
                sample(candidates, drawn, mean, std, rng);
                for (int i = 0; i < seeded; i++) {
                    for (int t = 0; t < h; t++) {
                        for (int d = 0; d < a; d++) {
                            candidates[((drawn + i) * h + t) * a + d] = clip(extra[i][t][d], d);
                        }
                    }
                }
                if (scoreMean) {
                    for (int t = 0; t < h; t++) {
                        for (int d = 0; d < a; d++) {
                            candidates[((s - 1) * h + t) * a + d] = clip(mean[t][d], d);
                        }
                    }
                }
                float[] energies = score(tokens, stateArray, goal, candidates, s, repulsion, m); // [S]
                // the pool: this iteration's candidates and the elites kept from the last one (their energies are
                // those of the same deterministic rollout, so they are not imagined again)
                int pool = s + keptEnergy.length;
                float[] all = Arrays.copyOf(candidates, pool * seq);
                System.arraycopy(kept, 0, all, s * seq, kept.length);
                float[] e = Arrays.copyOf(energies, pool);
                System.arraycopy(keptEnergy, 0, e, s, keptEnergy.length);
                Integer[] order = new Integer[pool];
                for (int i = 0; i < pool; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (x, y) -> Float.compare(e[x], e[y]));
                best = e[order[0]];
                bestPerIteration[it] = best;
                if (best < bestEver) {
                    bestEver = best;
                    bestSeq = Arrays.copyOfRange(all, order[0] * seq, (order[0] + 1) * seq);
                }
                int elites = Math.min(k, pool);
                for (int t = 0; t < h; t++) {
                    for (int d = 0; d < a; d++) {
                        double sum = 0;
                        for (int j = 0; j < elites; j++) {
                            sum += all[(order[j] * h + t) * a + d];
                        }
                        double eliteMean = sum / elites;
                        double sq = 0;
                        for (int j = 0; j < elites; j++) {
                            double dv = all[(order[j] * h + t) * a + d] - eliteMean;
                            sq += dv * dv;
                        }
                        double eliteStd = Math.sqrt(sq / elites);
                        mean[t][d] = (1 - config.momentumMean()) * eliteMean + config.momentumMean() * mean[t][d];
                        std[t][d] = (1 - config.momentumStd()) * eliteStd + config.momentumStd() * std[t][d];
                    }
                }
                int keep = Math.min(config.keptElites(), pool);
                kept = new float[keep * seq];
                keptEnergy = new float[keep];
                for (int j = 0; j < keep; j++) {
                    System.arraycopy(all, order[j] * seq, kept, j * seq, seq);
                    keptEnergy[j] = e[order[j]];
                }
            }
            if (config.returnBest()) {
                mean = toSequence(bestSeq, 0); // a scored candidate: already within bounds
                best = bestEver;
            } else {
                for (int t = 0; t < h; t++) {
                    for (int d = 0; d < a; d++) {
                        mean[t][d] = clip(mean[t][d], d);
                    }
                }
            }
            if (config.holdCheck() && stillIsBetter(tokens, stateArray, goal, mean, repulsion, m)) {
                mean = new double[h][a];
            }
        }
        double[][][] elites = new double[keptEnergy.length][][];
        for (int j = 0; j < elites.length; j++) {
            elites[j] = toSequence(kept, j * seq);
        }
        return new Plan(mean, best, (System.nanoTime() - start) / 1e6, bestPerIteration, elites);
    }

    /**
     * Draws {@code n} candidates {@code mean + std * noise}, clipped to the bounds, into {@code out [n*H*A]}: white
     * noise drawn step by step (the reference), or with {@link CemConfig#noiseBeta()} > 0 one coloured sequence
     * along the horizon per candidate and action dimension.
     */
    private void sample(float[] out, int n, double[][] mean, double[][] std, Random rng) {
        int h = config.horizon();
        int a = config.actionDim();
        if (config.noiseBeta() == 0) {
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < h; t++) {
                    for (int d = 0; d < a; d++) {
                        out[(i * h + t) * a + d] = clip(mean[t][d] + std[t][d] * rng.nextGaussian(), d);
                    }
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < a; d++) {
                double[] noise = ColouredNoise.sample(h, config.noiseBeta(), rng); // [H]
                for (int t = 0; t < h; t++) {
                    out[(i * h + t) * a + d] = clip(mean[t][d] + std[t][d] * noise[t], d);
                }
            }
        }
    }

    /** Energies (goal energy, repulsion when given, control effort) of {@code s} candidates {@code [S*H*A]}. */
    private float[] score(NDArray tokens, NDArray stateArray, NDArray goal, float[] candidates, int s,
            Repulsion repulsion, NDManager m) {
        float[] energies;
        try (NDManager step = m.newSubManager()) {
            NDArray actions = step.create(candidates, new Shape(s, config.horizon(), config.actionDim())); // [S, H, A]
            energies = energy(tokens, stateArray, actions, goal, repulsion).toFloatArray(); // [S]
        }
        if (config.actionCost() > 0) {
            addEffort(energies, candidates, s, config.horizon(), config.actionDim());
        }
        return energies;
    }

    private NDArray energy(NDArray tokens, NDArray stateArray, NDArray actions, NDArray goal, Repulsion repulsion) {
        return repulsion == null
                ? dynamics.energy(tokens, stateArray, actions, goal, config.energyMode()) // [S]
                : dynamics.energy(tokens, stateArray, actions, goal, config.energyMode(), repulsion); // [S]
    }

    private void checkSequence(double[][] seq, String what) {
        if (seq.length != config.horizon()) {
            throw new IllegalArgumentException(what + " has " + seq.length + " steps, the horizon is "
                    + config.horizon());
        }
        for (int t = 0; t < seq.length; t++) {
            if (seq[t].length != config.actionDim()) {
                throw new IllegalArgumentException(what + " step " + t + " has " + seq[t].length
                        + " dimensions, actions have " + config.actionDim());
            }
        }
    }

    private float clip(double v, int d) {
        return (float) Math.min(config.high()[d], Math.max(config.low()[d], v));
    }

    private double[][] toSequence(float[] flat, int offset) {
        double[][] out = new double[config.horizon()][config.actionDim()];
        for (int t = 0; t < out.length; t++) {
            for (int d = 0; d < out[t].length; d++) {
                out[t][d] = flat[offset + t * out[t].length + d];
            }
        }
        return out;
    }

    /**
     * Scores the final mean plan and the plan of all-zero actions in one rollout; true when holding still scores
     * at most the mean's energy (the mean of the elites is not itself guaranteed to beat doing nothing).
     */
    private boolean stillIsBetter(NDArray tokens, NDArray stateArray, NDArray goal, double[][] mean,
            Repulsion repulsion, NDManager m) {
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
            e = energy(tokens, stateArray, actions, goal, repulsion).toFloatArray(); // [2]
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
