package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Receding-horizon control: observe, plan with CEM toward the goal tokens, execute the first {@code executeSteps}
 * planned actions, observe again and replan, until {@code maxActions} actions were executed, or, with
 * {@code stopWhenReached}, until the environment reports the goal reached. Stopping on the environment's word suits
 * a robot whose task ends when it is done; an evaluation that scores where the agent is at the end of a fixed-length
 * episode (as PLDM and DINO-WM do) keeps planning until the last action, so holding the goal counts too.
 */
public final class ModelPredictiveControl {

    private final CemPlanner planner;
    private final int executeSteps;
    private final int maxActions;
    private final boolean stopWhenReached;

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
        while (!(stopWhenReached && env.reached()) && actions < maxActions) {
            Plan plan;
            try (NDManager step = goal.getManager().newSubManager()) {
                NDArray tokens = env.observe(step); // [N, D]
                plan = planner.plan(tokens, env.state(), goal);
            }
            replans++;
            planMillis += plan.millis();
            for (int i = 0; i < executeSteps && actions < maxActions && !(stopWhenReached && env.reached());
                    i++) {
                env.act(plan.actions()[i]);
                actions++;
            }
        }
        return new Outcome(env.reached(), actions, replans, planMillis, (System.nanoTime() - start) / 1e6);
    }
}
