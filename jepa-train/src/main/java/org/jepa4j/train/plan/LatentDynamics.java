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

    /**
     * The goal energy of candidate action sequences: {@link GoalEnergy#of} of their {@link #rollout}. A planner
     * scores candidates through this method, so a model made of several (an {@link EnsembleDynamics}) can score
     * them its own way.
     *
     * @param tokens the current frame's tokens {@code [N, D]}
     * @param state the current state {@code [A]}
     * @param actions candidate sequences {@code [S, H, A]}
     * @param goal goal tokens {@code [N, D]}
     * @param mode which imagined frames count
     * @return energies {@code [S]}, lower is closer to the goal, attached to {@code actions}' manager
     */
    default NDArray energy(NDArray tokens, NDArray state, NDArray actions, NDArray goal, EnergyMode mode) {
        return GoalEnergy.of(rollout(tokens, state, actions), goal, mode); // [S]
    }

    /**
     * The goal energy of candidate action sequences plus a {@link Repulsion} penalty on their imagined frames, both
     * from one rollout ({@link StallEscape}).
     *
     * @param tokens the current frame's tokens {@code [N, D]}
     * @param state the current state {@code [A]}
     * @param actions candidate sequences {@code [S, H, A]}
     * @param goal goal tokens {@code [N, D]}
     * @param mode which imagined frames count
     * @param repulsion the penalty on imagined frames near observed ones
     * @return energies {@code [S]}, attached to {@code actions}' manager
     */
    default NDArray energy(NDArray tokens, NDArray state, NDArray actions, NDArray goal, EnergyMode mode,
            Repulsion repulsion) {
        NDArray imagined = rollout(tokens, state, actions); // [S, H, N, D]
        return GoalEnergy.of(imagined, goal, mode).add(repulsion.of(imagined, mode)); // [S]
    }
}
