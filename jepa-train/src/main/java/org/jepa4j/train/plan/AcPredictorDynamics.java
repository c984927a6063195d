package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.jepa4j.core.world.AcStepCache;
import org.jepa4j.core.world.ActionConditionedPredictor;

/**
 * {@link LatentDynamics} of an action-conditioned predictor, as V-JEPA 2-AC's planner rolls it out: start from
 * the current frame's tokens and state; at imagined step h run the predictor on the sequence so far (the real
 * first frame and the h imagined ones) with actions {@code 0..h} and states {@code 0..h}, keep the last step's
 * output, layer-norm it and append it. The imagined state is advanced analytically, {@code s_{h+1} = s_h + a_h}
 * (the action is a state difference, as in DROID and in the two-room world's episodes). All candidates go through
 * the predictor together: one batched forward per imagined step. Attention is block-causal, so each imagined step
 * computes only the new frame's tokens over the cached keys and values of the earlier ones
 * ({@link ActionConditionedPredictor#forwardStep}): a horizon-H rollout costs H steps of tokens instead of
 * {@code H(H+1)/2}.
 */
public final class AcPredictorDynamics implements LatentDynamics {

    private final ActionConditionedPredictor predictor;
    private final boolean useStates;

    /**
     * Wraps a trained predictor that takes states.
     *
     * @param predictor the predictor (frozen; it is only run forward)
     */
    public AcPredictorDynamics(ActionConditionedPredictor predictor) {
        this(predictor, true);
    }

    /**
     * Wraps a trained predictor.
     *
     * @param predictor the predictor (frozen; it is only run forward)
     * @param useStates false for a predictor trained with zero states ({@code data.use_states false}): it then
     *     gets zero states here too
     */
    public AcPredictorDynamics(ActionConditionedPredictor predictor, boolean useStates) {
        this.predictor = predictor;
        this.useStates = useStates;
    }

    /**
     * The states a rollout imagines, advanced analytically from the current one ({@code s_{t+1} = s_t + a_t}, as
     * in DROID).
     *
     * @param state the current state, [A]
     * @param actions candidate action sequences, [S, H, A]
     * @return s_0..s_H per candidate, [S, H+1, A]
     */
    public static NDArray imaginedStates(NDArray state, NDArray actions) {
        Shape as = actions.getShape();
        NDArray next = actions.cumSum(1).add(state.reshape(1, 1, -1)); // [S, H, A]: s_1..s_H
        return state.reshape(1, 1, -1).broadcast(new Shape(as.get(0), 1, as.get(2))).concat(next, 1); // [S, H+1, A]
    }

    @Override
    public int actionDim() {
        return predictor.config().actionEmbedDim();
    }

    @Override
    public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
        Shape as = actions.getShape();
        long s = as.get(0);
        int h = (int) as.get(1);
        long n = tokens.getShape().get(0);
        long d = tokens.getShape().get(1);
        if (state.getShape().dimension() != 1 || state.getShape().get(0) != as.get(2)) {
            throw new IllegalArgumentException("state " + state.getShape() + " must be [A] with A = " + as.get(2)
                    + " (the action dimension)");
        }
        NDArray states = imaginedStates(state, actions); // [S, H+1, A]
        if (!useStates) {
            states = states.zerosLike(); // [S, H+1, A]
        }
        NDArray frame = tokens.expandDims(0).broadcast(new Shape(s, n, d)); // [S, N, D]: frame 0
        AcStepCache cache = predictor.newStepCache();
        NDList imagined = new NDList(h);
        for (int step = 0; step < h; step++) {
            String at = ":, " + step + ":" + (step + 1) + ", :";
            // only this step's tokens are computed; earlier steps' keys and values come from the cache
            NDArray out = predictor.forwardStep(cache, frame, actions.get(at), states.get(at), null); // [S, N, D]
            frame = GoalEnergy.layerNorm(out); // [S, N, D]: imagined frame step+1
            imagined.add(frame.expandDims(1)); // [S, 1, N, D]
        }
        return NDArrays.concat(imagined, 1); // [S, H, N, D]
    }
}
