package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The world a model-predictive controller acts in: it shows the current observation as tokens (the frame through
 * the frozen encoder), reports the current state, executes actions and says when the goal is reached.
 */
public interface PlanningEnvironment {

    /**
     * Encodes the current observation.
     *
     * @param manager owner of the returned array
     * @return the current frame's tokens {@code [N, D]}
     */
    NDArray observe(NDManager manager);

    /**
     * The current state (proprioception) given to the world model.
     *
     * @return {@code [A]}
     */
    double[] state();

    /**
     * Executes one action.
     *
     * @param action {@code [A]}
     */
    void act(double[] action);

    /**
     * Whether the task is done (goal reached).
     *
     * @return true to stop
     */
    boolean reached();
}
