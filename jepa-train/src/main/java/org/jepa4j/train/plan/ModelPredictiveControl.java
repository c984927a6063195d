package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

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

    /**
     * Creates a controller that stops when the environment reports the goal reached.
     *
     * @param planner the planner
     * @param executeSteps actions executed per plan (1..horizon)
     * @param maxActions largest number of actions of an episode
     */
    public ModelPredictiveControl(CemPlanner planner, int executeSteps, int maxActions) {
        this(planner, executeSteps, maxActions, true);
    }

    /**
     * Creates a controller.
     *
     * @param planner the planner
     * @param executeSteps actions executed per plan (1..horizon)
     * @param maxActions largest number of actions of an episode (all of them without {@code stopWhenReached})
     * @param stopWhenReached whether to end the episode as soon as the environment reports the goal reached
     */
    public ModelPredictiveControl(CemPlanner planner, int executeSteps, int maxActions, boolean stopWhenReached) {
        this(planner, executeSteps, maxActions, stopWhenReached, false);
    }

    /**
     * Creates a controller, optionally warm-starting each search from the previous plan shifted by the executed
     * actions (the last steps filled with zeros): a plan that found a way around an obstacle is refined rather
     * than searched again from scratch.
     *
     * @param planner the planner
     * @param executeSteps actions executed per plan (1..horizon)
     * @param maxActions largest number of actions of an episode (all of them without {@code stopWhenReached})
     * @param stopWhenReached whether to end the episode as soon as the environment reports the goal reached
     * @param warmStart whether each search starts from the shifted previous plan instead of zeros
     */
    public ModelPredictiveControl(CemPlanner planner, int executeSteps, int maxActions, boolean stopWhenReached,
            boolean warmStart) {
        if (executeSteps < 1 || executeSteps > planner.config().horizon()) {
            throw new IllegalArgumentException("executeSteps must be in [1, horizon=" + planner.config().horizon()
                    + "], got " + executeSteps);
        }
        if (maxActions < 1) {
            throw new IllegalArgumentException("maxActions must be >= 1, got " + maxActions);
        }
        this.planner = planner;
        this.executeSteps = executeSteps;
        this.maxActions = maxActions;
        this.stopWhenReached = stopWhenReached;
        this.warmStart = warmStart;
    }

    /**
     * What one controlled episode did.
     *
     * @param reached whether the goal was reached
     * @param actions actions executed
     * @param replans plans made
     * @param planMillis total planning time in milliseconds
     * @param totalMillis total time of the episode (planning, observing, acting) in milliseconds
     */
    public record Outcome(boolean reached, int actions, int replans, double planMillis, double totalMillis) {

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
        double[][] next = null; // the previous plan shifted by the executed actions
        double[][][] nextElites = null; // the previous plan's kept elites shifted likewise (iCEM)
        while (!(stopWhenReached && env.reached()) && actions < maxActions) {
            Plan plan;
            try (NDManager step = goal.getManager().newSubManager()) {
                NDArray tokens = env.observe(step); // [N, D]
                plan = planner.plan(tokens, env.state(), goal, warmStart ? next : null,
                        warmStart ? nextElites : null);
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
        return new Outcome(env.reached(), actions, replans, planMillis, (System.nanoTime() - start) / 1e6);
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
