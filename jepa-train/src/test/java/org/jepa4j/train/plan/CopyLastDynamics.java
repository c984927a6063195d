package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;

/** A test world model that ignores its actions: every imagined frame is the current one. */
final class CopyLastDynamics implements LatentDynamics {

    /** The one instance (2-D actions). */
    static final CopyLastDynamics INSTANCE = new CopyLastDynamics();

    private CopyLastDynamics() {}

    @Override
    public int actionDim() {
        return 2;
    }

    @Override
    public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
        long samples = actions.getShape().get(0);
        long horizon = actions.getShape().get(1);
        return tokens.expandDims(0).expandDims(0).repeat(0, samples).repeat(1, horizon); // [S, H, N, D]
    }
}
