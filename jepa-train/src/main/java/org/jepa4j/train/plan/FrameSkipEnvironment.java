package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * An environment seen through a world model trained with a frame skip ({@code data.frame_step k}): one of the
 * model's actions spans k recorded frames and is the sum of the k actions taken between them (as the training
 * clips sum them), so here one action is executed as k equal actions of {@code action / k}. A planner over such a
 * model imagines k frames per predictor step: a rollout of H steps looks k H actions ahead for the cost of H (the
 * frame skip of DINO-WM). With k = 1 it is the environment itself.
 */
public final class FrameSkipEnvironment implements PlanningEnvironment {

    private final PlanningEnvironment inner;
    private final int frameStep;

    /**
     * Wraps an environment.
     *
     * @param inner the environment that executes single actions
     * @param frameStep recorded frames per model action (at least 1)
     * @throws IllegalArgumentException if frameStep is below 1
     */
    public FrameSkipEnvironment(PlanningEnvironment inner, int frameStep) {
        if (frameStep < 1) {
            throw new IllegalArgumentException("frameStep must be >= 1, got " + frameStep);
        }
        this.inner = inner;
        this.frameStep = frameStep;
    }

    /** @return recorded frames per model action */
    public int frameStep() {
        return frameStep;
    }

    @Override
    public NDArray observe(NDManager manager) {
        return inner.observe(manager);
    }

    @Override
    public double[] state() {
        return inner.state();
    }

    /**
     * Executes the model's action as {@code frameStep} equal actions of the inner environment.
     *
     * @param action the summed action {@code [A]}
     */
    @Override
    public void act(double[] action) {
        double[] part = new double[action.length];
        for (int i = 0; i < part.length; i++) {
            part[i] = action[i] / frameStep;
        }
        for (int k = 0; k < frameStep; k++) {
            inner.act(part);
        }
    }

    @Override
    public boolean reached() {
        return inner.reached();
    }
}
