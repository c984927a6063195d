package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;

/**
 * A model that imagines the future in representation space: from the current frame's tokens and state, it rolls
 * out a batch of candidate action sequences autoregressively and returns the predicted tokens of every imagined
 * frame. Implementations run all candidates of a call through the model together (one batched pass per imagined
 * step), never one candidate at a time.
 */
public interface LatentDynamics {

    /**
     * Dimension of an action.
     *
     * @return A
     */
    int actionDim();

    /**
     * Rolls candidate action sequences forward.
     *
     * @param tokens the current frame's tokens {@code [N, D]}
     * @param state the current state {@code [A]} (the action-conditioned predictor's proprioception; may be
     *     ignored)
     * @param actions candidate sequences {@code [S, H, A]}
     * @return predicted tokens of imagined frames 1..H {@code [S, H, N, D]}, attached to {@code actions}' manager
     */
    NDArray rollout(NDArray tokens, NDArray state, NDArray actions);
}
