package org.jepa4j.train.plan;

import java.util.Arrays;

/**
 * Settings of the cross-entropy-method planner. Defaults follow V-JEPA 2-AC's planner
 * ({@code notebooks/utils/mpc_utils.py}): horizon 2, 400 samples, top 10, 10 iterations, momentum 0.15 for mean
 * and std, initial std = the action bound, energy on the last imagined frame.
 *
 * @param horizon imagined steps per candidate (H)
 * @param samples candidates per iteration (S)
 * @param topK elite candidates whose statistics update the sampling distribution
 * @param iterations CEM iterations per plan
 * @param momentumMean weight of the previous mean in the update {@code mean = (1-m) elite_mean + m mean}
 * @param momentumStd weight of the previous std in the update
 * @param low lowest value of each action dimension {@code [A]}
 * @param high highest value of each action dimension {@code [A]}
 * @param initialStd std of each action dimension at the first iteration {@code [A]}
 * @param energyMode which imagined frames the energy looks at
 * @param seed seed of the candidate sampling (a plan is a deterministic function of its inputs and this seed)
 * @param actionCost weight of the control effort added to the energy: {@code actionCost} times the mean over the
 *     horizon of each action's Euclidean norm in units of the half bound range (0, the reference, for none)
 * @param holdCheck whether to compare the final plan with holding still (all-zero actions) in one more rollout and
 *     return no motion when holding still scores at most the plan's energy (the reference returns the mean as is)
 * @param noiseBeta exponent of the power spectrum {@code 1/f^beta} of the sampling noise along the horizon (iCEM's
 *     coloured noise, Pinneri et al. 2020): 0 (the reference) draws each step independently, larger values give
 *     smoother, temporally correlated action sequences
 * @param keepElites fraction of the {@code topK} elites carried into the next iteration's pool with their energies
 *     (iCEM keeps 0.3), and returned in {@link Plan#elites()} for the next replan; 0 (the reference) keeps none
 * @param sampleDecay iCEM's population decay: iteration i draws {@code max(samples / sampleDecay^i, 2 topK)}
 *     candidates (at most {@code samples}); 1 (the reference) draws {@code samples} every iteration
 * @param returnBest whether to return the best sequence scored over all iterations (the last iteration's mean is scored
 *     as one more candidate), as iCEM executes; false (the reference) returns the final mean
 * @param goalTolerance energy of the OBSERVED tokens to the goal (the same L1 of layer-normed tokens, no model
 *     involved) at or below which the planner holds still without searching: a goal-reached test in the encoder's
 *     own terms, which keeps the agent at a goal the world model is too coarse to resolve; 0 (the reference) never
 *     holds
 */
public record CemConfig(int horizon, int samples, int topK, int iterations, double momentumMean,
        double momentumStd, double[] low, double[] high, double[] initialStd, EnergyMode energyMode, long seed,
        double actionCost, boolean holdCheck, double noiseBeta, double keepElites, double sampleDecay,
        boolean returnBest, double goalTolerance) {

    /** Validates the settings. */
    public CemConfig {
        if (horizon < 1 || samples < 1 || iterations < 1) {
            throw new IllegalArgumentException("horizon, samples and iterations must be >= 1, got " + horizon + ", "
                    + samples + ", " + iterations);
        }
        if (topK < 1 || topK > samples) {
            throw new IllegalArgumentException("topK must be in [1, samples=" + samples + "], got " + topK);
        }
        if (momentumMean < 0 || momentumMean >= 1 || momentumStd < 0 || momentumStd >= 1) {
            throw new IllegalArgumentException("momenta must be in [0, 1), got " + momentumMean + ", " + momentumStd);
        }
        if (low.length == 0 || low.length != high.length || initialStd.length != low.length) {
            throw new IllegalArgumentException("action bounds low " + Arrays.toString(low) + ", high "
                    + Arrays.toString(high) + " and initialStd " + Arrays.toString(initialStd)
                    + " must have the same, non-zero length (the action dimension)");
        }
        for (int i = 0; i < low.length; i++) {
            if (!(low[i] <= high[i]) || !(initialStd[i] >= 0)) {
                throw new IllegalArgumentException("action dimension " + i + ": need low <= high and initialStd >= 0,"
                        + " got low " + low[i] + ", high " + high[i] + ", initialStd " + initialStd[i]);
            }
        }
        if (!(actionCost >= 0)) {
            throw new IllegalArgumentException("actionCost must be >= 0, got " + actionCost);
        }
        if (!(goalTolerance >= 0)) {
            throw new IllegalArgumentException("goalTolerance must be >= 0, got " + goalTolerance);
        }
        if (!(noiseBeta >= 0) || !(keepElites >= 0 && keepElites <= 1) || !(sampleDecay >= 1)) {
            throw new IllegalArgumentException("need noiseBeta >= 0, keepElites in [0, 1] and sampleDecay >= 1, got "
                    + noiseBeta + ", " + keepElites + ", " + sampleDecay);
        }
        low = low.clone();
        high = high.clone();
        initialStd = initialStd.clone();
    }

    /**
     * Dimension of an action.
     *
     * @return A
     */
    public int actionDim() {
        return low.length;
    }

    /**
     * Number of elites carried from one iteration (and one replan) to the next.
     *
     * @return {@code round(keepElites * topK)}
     */
    public int keptElites() {
        return (int) Math.round(keepElites * topK);
    }

    /**
     * Candidates drawn in an iteration (iCEM's decaying population).
     *
     * @param iteration 0-based iteration
     * @return {@code max(samples / sampleDecay^iteration, min(samples, 2 topK))}
     */
    public int samplesAt(int iteration) {
        int decayed = (int) Math.round(samples / Math.pow(sampleDecay, iteration));
        return Math.min(samples, Math.max(decayed, Math.min(samples, 2 * topK)));
    }

    /**
     * Starts a builder with symmetric bounds {@code [-bound, bound]} in each of {@code actionDim} dimensions.
     *
     * @param actionDim A
     * @param bound largest absolute value of each action dimension
     * @return a builder with the reference defaults otherwise
     */
    public static Builder builder(int actionDim, double bound) {
        double[] lo = new double[actionDim];
        double[] hi = new double[actionDim];
        Arrays.fill(lo, -bound);
        Arrays.fill(hi, bound);
        return new Builder().setBounds(lo, hi);
    }

    /** Builder of {@link CemConfig}; {@link #setBounds} is required, everything else has the reference default. */
    public static final class Builder {
        private int horizon = 2;
        private int samples = 400;
        private int topK = 10;
        private int iterations = 10;
        private double momentumMean = 0.15;
        private double momentumStd = 0.15;
        private double[] low;
        private double[] high;
        private double[] initialStd;
        private EnergyMode energyMode = EnergyMode.LAST_FRAME;
        private long seed;
        private double actionCost;
        private boolean holdCheck;
        private double noiseBeta;
        private double keepElites;
        private double sampleDecay = 1;
        private boolean returnBest;
        private double goalTolerance;

        /**
         * Sets the action bounds (required).
         *
         * @param lo lowest value per dimension
         * @param hi highest value per dimension
         * @return this
         */
        public Builder setBounds(double[] lo, double[] hi) {
            this.low = lo.clone();
            this.high = hi.clone();
            return this;
        }

        /**
         * @param h imagined steps (default 2)
         * @return this
         */
        public Builder optHorizon(int h) {
            this.horizon = h;
            return this;
        }

        /**
         * @param s candidates per iteration (default 400)
         * @return this
         */
        public Builder optSamples(int s) {
            this.samples = s;
            return this;
        }

        /**
         * @param k elites (default 10)
         * @return this
         */
        public Builder optTopK(int k) {
            this.topK = k;
            return this;
        }

        /**
         * @param n iterations (default 10)
         * @return this
         */
        public Builder optIterations(int n) {
            this.iterations = n;
            return this;
        }

        /**
         * @param mean momentum of the mean (default 0.15)
         * @param std momentum of the std (default 0.15)
         * @return this
         */
        public Builder optMomentum(double mean, double std) {
            this.momentumMean = mean;
            this.momentumStd = std;
            return this;
        }

        /**
         * @param std initial std per dimension (default: half the bound range, i.e. the bound for symmetric bounds)
         * @return this
         */
        public Builder optInitialStd(double[] std) {
            this.initialStd = std.clone();
            return this;
        }

        /**
         * @param mode which imagined frames the energy looks at (default the last)
         * @return this
         */
        public Builder optEnergyMode(EnergyMode mode) {
            this.energyMode = mode;
            return this;
        }

        /**
         * @param cost weight of the control effort in the energy (default 0): with a goal energy that is flat
         *     within a few pixels of the goal, a small cost makes the plan hold still there instead of jittering
         * @return this
         */
        public Builder optActionCost(double cost) {
            this.actionCost = cost;
            return this;
        }

        /**
         * @param check compare the plan with holding still and hold when that scores at least as well (default
         *     false): keeps the agent at a goal whose energy is flat within the last few pixels
         * @return this
         */
        public Builder optHoldCheck(boolean check) {
            this.holdCheck = check;
            return this;
        }

        /**
         * @param beta exponent of the {@code 1/f^beta} power spectrum of the sampling noise along the horizon
         *     (default 0: white noise, the reference; iCEM uses 2-3.5 for smooth, temporally correlated sequences)
         * @return this
         */
        public Builder optNoiseBeta(double beta) {
            this.noiseBeta = beta;
            return this;
        }

        /**
         * @param fraction fraction of the elites kept into the next iteration's pool and handed to the next replan
         *     through {@link Plan#elites()} (default 0, the reference; iCEM keeps 0.3)
         * @return this
         */
        public Builder optKeepElites(double fraction) {
            this.keepElites = fraction;
            return this;
        }

        /**
         * @param gamma population decay: iteration i draws {@code max(samples / gamma^i, 2 topK)} candidates, so
         *     the first iteration, which explores most, gets the most (default 1: the same every iteration; iCEM
         *     uses 1.25)
         * @return this
         */
        public Builder optSampleDecay(double gamma) {
            this.sampleDecay = gamma;
            return this;
        }

        /**
         * @param best return the best sequence scored in any iteration (the last iteration's mean is scored
         *     as one more candidate) instead of the final mean (default false, the reference; iCEM executes the best)
         * @return this
         */
        public Builder optReturnBest(boolean best) {
            this.returnBest = best;
            return this;
        }

        /**
         * @param tolerance hold still, without searching, while the observed tokens' energy to the goal is at most
         *     this (default 0: never; calibrate it as the energy of an observation just off the goal, e.g. the
         *     encoded goal scene with the agent moved by a fraction of the success radius)
         * @return this
         */
        public Builder optGoalTolerance(double tolerance) {
            this.goalTolerance = tolerance;
            return this;
        }

        /**
         * @param s sampling seed (default 0)
         * @return this
         */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the validated settings
         */
        public CemConfig build() {
            if (low == null) {
                throw new IllegalStateException("setBounds is required");
            }
            double[] std = initialStd;
            if (std == null) {
                std = new double[low.length];
                for (int i = 0; i < std.length && i < high.length; i++) {
                    std[i] = (high[i] - low[i]) / 2;
                }
            }
            return new CemConfig(horizon, samples, topK, iterations, momentumMean, momentumStd, low, high, std,
                    energyMode, seed, actionCost, holdCheck, noiseBeta, keepElites, sampleDecay, returnBest,
                    goalTolerance);
        }
    }
}
