package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.jepa4j.core.tensor.NoGrad;

/**
 * Receding-horizon control: observe, plan with CEM toward the goal tokens, execute the first {@code executeSteps}
 * planned actions, observe again and replan (with a warm start, from the previous plan and its kept elites shifted
 * by the executed actions), until {@code maxActions} actions were executed, or, with
 * {@code stopWhenReached}, until the environment reports the goal reached. Stopping on the environment's word suits
 * a robot whose task ends when it is done; an evaluation that scores where the agent is at the end of a fixed-length
 * episode (as PLDM and DINO-WM do) keeps planning until the last action, so holding the goal counts too.
 */
public final class ModelPredictiveControl {

    private final CemPlanner planner;
    private final int executeSteps;
    private final int maxActions;
    private final boolean stopWhenReached;
    private final boolean warmStart;
    private final StallEscape escape;

    private ModelPredictiveControl(Builder b) {
        if (b.planner == null) {
            throw new IllegalArgumentException("a controller needs a planner (setPlanner)");
        }
        if (b.executeSteps < 1 || b.executeSteps > b.planner.config().horizon()) {
            throw new IllegalArgumentException("executeSteps must be in [1, horizon=" + b.planner.config().horizon()
                    + "], got " + b.executeSteps);
        }
        if (b.maxActions < 1) {
            throw new IllegalArgumentException("maxActions must be >= 1, got " + b.maxActions);
        }
        this.planner = b.planner;
        this.executeSteps = b.executeSteps;
        this.maxActions = b.maxActions;
        this.stopWhenReached = b.stopWhenReached;
        this.warmStart = b.warmStart;
        this.escape = b.escape;
    }

    /**
     * Starts a controller's settings.
     *
     * @return a builder: {@link Builder#setPlanner} is required
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link ModelPredictiveControl}. */
    public static final class Builder {

        private CemPlanner planner;
        private int executeSteps = 1;
        private int maxActions = 100;
        private boolean stopWhenReached = true;
        private boolean warmStart;
        private StallEscape escape;

        private Builder() {}

        /**
         * Sets the planner (required).
         *
         * @param planner the planner
         * @return this builder
         */
        public Builder setPlanner(CemPlanner planner) {
            this.planner = planner;
            return this;
        }

        /**
         * Sets the actions executed per plan (1..horizon; default 1).
         *
         * @param executeSteps actions executed before replanning
         * @return this builder
         */
        public Builder optExecuteSteps(int executeSteps) {
            this.executeSteps = executeSteps;
            return this;
        }

        /**
         * Sets the largest number of actions of an episode (default 100; all of them are executed without
         * {@link #optStopWhenReached stopWhenReached}).
         *
         * @param maxActions the action budget
         * @return this builder
         */
        public Builder optMaxActions(int maxActions) {
            this.maxActions = maxActions;
            return this;
        }

        /**
         * Sets whether the episode ends as soon as the environment reports the goal reached (default true: a robot
         * whose task is done stops; an evaluation scored at the end of a fixed-length episode sets false).
         *
         * @param stopWhenReached whether to stop at the goal
         * @return this builder
         */
        public Builder optStopWhenReached(boolean stopWhenReached) {
            this.stopWhenReached = stopWhenReached;
            return this;
        }

        /**
         * Sets whether each search starts from the previous plan shifted by the executed actions (the last steps
         * filled with zeros) instead of zeros (default false): a plan that found a way around an obstacle is
         * refined rather than searched again from scratch.
         *
         * @param warmStart whether to warm-start
         * @return this builder
         */
        public Builder optWarmStart(boolean warmStart) {
            this.warmStart = warmStart;
            return this;
        }

        /**
         * Builds the controller.
         *
         * @return the controller
         * @throws IllegalArgumentException if the planner is missing, executeSteps is outside [1, horizon] or
         *     maxActions is below 1
         */
        /**
         * Escapes local minima of the goal energy: while the observed energy has stopped falling far from the goal,
         * imagined frames near the frames observed so far in the episode are penalised ({@link StallEscape}).
         *
         * @param escape the settings, or null (the default) for none
         * @return this builder
         */
        public Builder optEscape(StallEscape escape) {
            this.escape = escape;
            return this;
        }

        public ModelPredictiveControl build() {
            return new ModelPredictiveControl(this);
        }
    }

    /**
     * What one controlled episode did.
     *
     * @param reached whether the goal was reached
     * @param actions actions executed
     * @param replans plans made
     * @param planMillis total planning time in milliseconds
     * @param totalMillis total time of the episode (planning, observing, acting) in milliseconds
     * @param escapes plans made with the stall escape's repulsion on ({@link Builder#optEscape})
     */
    public record Outcome(boolean reached, int actions, int replans, double planMillis, double totalMillis,
            int escapes) {

        /**
         * An outcome without stall escapes.
         *
         * @param reached whether the goal was reached
         * @param actions actions executed
         * @param replans plans made
         * @param planMillis total planning time in milliseconds
         * @param totalMillis total time of the episode in milliseconds
         */
        public Outcome(boolean reached, int actions, int replans, double planMillis, double totalMillis) {
            this(reached, actions, replans, planMillis, totalMillis, 0);
        }

        /**
         * Mean planning time.
         *
         * @return milliseconds per replan
         */
        public double millisPerReplan() {
            return replans == 0 ? 0 : planMillis / replans;
        }
    }

    /**
     * Runs one episode.
     *
     * @param env the environment (its current observation is the start)
     * @param goal goal tokens {@code [N, D]}
     * @return what happened
     */
    public Outcome run(PlanningEnvironment env, NDArray goal) {
        long start = System.nanoTime();
        int actions = 0;
        int replans = 0;
        double planMillis = 0;
        int escapes = 0;
        double[][] next = null; // the previous plan shifted by the executed actions
        double[][][] nextElites = null; // the previous plan's kept elites shifted likewise (iCEM)
        try (NDManager episode = goal.getManager().newSubManager()) {
            NDList visited = new NDList(); // layer-normed tokens of the frames observed far from the goal [N, D] each
            double bestObserved = Double.POSITIVE_INFINITY;
            int stalled = 0; // replans since the observed energy last fell by escape.minProgress()
            while (!(stopWhenReached && env.reached()) && actions < maxActions) {
                Plan plan;
                try (NDManager step = episode.newSubManager()) {
                    NDArray tokens = env.observe(step); // [N, D]
                    Repulsion repulsion = null;
                    if (escape != null) {
                        double observed;
                        try (NoGrad ignored = NoGrad.enter()) {
                            observed = GoalEnergy.ofObservation(tokens, goal);
                            if (observed > escape.farEnergy()) { // frames near the goal never repel
                                NDArray seen = GoalEnergy.layerNorm(tokens); // [N, D]
                                seen.attach(episode);
                                visited.add(seen);
                            }
                        }
                        if (observed < bestObserved - escape.minProgress()) {
                            bestObserved = observed;
                            stalled = 0;
                        } else {
                            stalled++;
                        }
                        if (stalled >= escape.patience() && observed > escape.farEnergy()) {
                            NDArray all = NDArrays.stack(visited, 0); // [M, N, D]
                            all.attach(step);
                            repulsion = new Repulsion(all, escape.weight(), escape.width());
                            escapes++;
                        }
                    }
                    plan = planner.plan(tokens, env.state(), goal, warmStart ? next : null,
                            warmStart ? nextElites : null, repulsion);
                }
                replans++;
                planMillis += plan.millis();
                int done = 0;
                for (int i = 0; i < executeSteps && actions < maxActions && !(stopWhenReached && env.reached());
                        i++) {
                    env.act(plan.actions()[i]);
                    actions++;
                    done++;
                }
                next = shift(plan.actions(), done);
                nextElites = new double[plan.elites().length][][];
                for (int j = 0; j < nextElites.length; j++) {
                    nextElites[j] = shift(plan.elites()[j], done);
                }
            }
        }
        return new Outcome(env.reached(), actions, replans, planMillis, (System.nanoTime() - start) / 1e6,
                escapes);
    }

    /** A sequence {@code [H][A]} advanced by {@code done} executed steps, the freed last steps filled with zeros. */
    private static double[][] shift(double[][] planned, int done) {
        double[][] next = new double[planned.length][];
        for (int t = 0; t < planned.length; t++) {
            next[t] = t + done < planned.length ? planned[t + done].clone() : new double[planned[t].length];
        }
        return next;
    }
}
