package org.jepa4j.train.world;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.world.AcStepCache;
import org.jepa4j.core.world.ActionConditionedPredictor;
import org.jepa4j.core.tensor.Autograd;
import org.jepa4j.train.optim.AdamW;
import org.jepa4j.train.optim.Gradients;

/**
 * One optimizer step of the action-conditioned predictor, as {@code app/vjepa_droid/train.py} does it:
 * <pre>
 *   h     = layer-normed frozen-encoder tokens of frames 0..T-1                 [B, T*HW, E]  (no gradient)
 *   z_tf  = LN(P(h[frames 0..T-2], actions 0..T-2, states 0..T-2))             teacher forcing: frames 1..T-1
 *   z     = [h[frame 0], z_tf[frame 1]]
 *   for n in 1..auto_steps-1:  z = [z, LN(P(z, actions 0..n, states 0..n))[last frame]]     rollout
 *                              (computed one frame per pass over a key/value cache: P is block-causal)
 *   z_ar  = z[frames 1..auto_steps]
 *   loss  = mean(|z_tf - h[1..T-1]|^p)/p + mean(|z_ar - h[1..auto_steps]|^p)/p
 *   backward; AdamW (no gradient clipping); gradients zeroed
 * </pre>
 * ({@code LN}: layer norm without affine, only with {@code normalize_reps}). A non-finite loss skips the update.
 * Every temporary of a step lives in an {@link NDScope}.
 */
public final class WorldModelStep {

    private final ActionConditionedPredictor predictor;
    private final AdamW optimizer;
    private final int tokensPerFrame;
    private final int autoSteps;
    private final double lossExp;
    private final boolean normalizeReps;
    private final Map<String, NDArray> trainable;

    /**
     * Creates the step.
     *
     * @param predictor the predictor to train
     * @param optimizer AdamW over {@link ActionConditionedPredictor#trainableParameters()}, or null to compute
     *     {@link #losses} only (evaluation)
     * @param autoSteps rollout length (the reference's {@code auto_steps}, 2 in its config)
     * @param lossExp loss exponent p (1: L1)
     * @param normalizeReps layer-norm the predictions before the losses
     */
    public WorldModelStep(ActionConditionedPredictor predictor, AdamW optimizer, int autoSteps, double lossExp,
            boolean normalizeReps) {
        if (autoSteps < 1) {
            throw new IllegalArgumentException("auto_steps must be >= 1, got " + autoSteps);
        }
        this.predictor = predictor;
        this.optimizer = optimizer;
        this.tokensPerFrame = predictor.config().tokensPerFrame();
        this.autoSteps = autoSteps;
        this.lossExp = lossExp;
        this.normalizeReps = normalizeReps;
        this.trainable = optimizer == null ? null : optimizer.parameters();
    }

    /**
     * The losses of one step.
     *
     * @param loss total loss (teacher forcing + rollout)
     * @param teacherForcing teacher-forcing loss
     * @param rollout rollout loss
     * @param gradNorm global gradient norm (no clipping is applied), NaN when skipped
     * @param skipped whether the update was skipped for a non-finite loss
     */
    public record Result(double loss, double teacherForcing, double rollout, double gradNorm, boolean skipped) {
    }

    /**
     * Runs one step.
     *
     * @param h layer-normed tokens of the clip's frames {@code [B, T*HW, E]}, T >= auto_steps + 1
     * @param actions {@code [B, T-1, A]}
     * @param states {@code [B, T, A]}
     * @param lr learning rate of this step
     * @param wd weight decay of this step
     * @return the losses
     */
    public Result step(NDArray h, NDArray actions, NDArray states, double lr, double wd) {
        if (optimizer == null) {
            throw new IllegalStateException("this WorldModelStep was built without an optimizer (evaluation only)");
        }
        Gradients.zero(trainable);
        double tf;
        double ar;
        try (NDScope scope = new NDScope(); Autograd rec = Autograd.record()) {
            NDArray[] losses = losses(h, actions, states);
            NDArray total = losses[0].add(losses[1]);
            tf = losses[0].getFloat();
            ar = losses[1].getFloat();
            if (Double.isFinite(tf + ar)) {
                Autograd.backward(total);
            }
        }
        if (!Double.isFinite(tf + ar)) {
            Gradients.zero(trainable);
            return new Result(tf + ar, tf, ar, Double.NaN, true);
        }
        double norm = Gradients.globalNorm(trainable);
        optimizer.step(lr, wd);
        Gradients.zero(trainable);
        return new Result(tf + ar, tf, ar, norm, false);
    }

    /**
     * The teacher-forcing and rollout losses (differentiable when recorded).
     *
     * @param h layer-normed tokens {@code [B, T*HW, E]}
     * @param actions {@code [B, T-1, A]}
     * @param states {@code [B, T, A]}
     * @return {teacher-forcing loss, rollout loss}, 0-d arrays
     */
    public NDArray[] losses(NDArray h, NDArray actions, NDArray states) {
        long n = h.getShape().get(1);
        int t = (int) (n / tokensPerFrame);
        if (n % tokensPerFrame != 0 || t < autoSteps + 1 || t < 2) {
            throw new IllegalArgumentException("a clip of " + t + " frames (" + n + " tokens of " + tokensPerFrame
                    + " per frame) is too short for auto_steps " + autoSteps);
        }
        if (actions.getShape().get(1) != t - 1 || states.getShape().get(1) != t) {
            throw new IllegalArgumentException("a clip of " + t + " frames needs " + (t - 1) + " actions and " + t
                    + " states, got " + actions.getShape() + " and " + states.getShape());
        }
        int hw = tokensPerFrame;
        NDArray target = h.stopGradient();
        // teacher forcing: frames 0..T-2 with every action -> frames 1..T-1
        NDArray zTf = predict(target.get(":, :" + (n - hw)), actions, states.get(":, :" + (t - 1))); // [B,(T-1)HW,E]
        // rollout from [frame 0, predicted frame 1]. The reference runs the predictor on the whole growing sequence
        // [frame 0, z_1, .., z_k] and keeps the last frame's output; the predictor is block-causal, so the outputs of
        // the earlier frames, and their keys and values, are those of the previous pass: feeding one frame per pass
        // over a key/value cache computes the same function (and gradients) from auto_steps frames of tokens instead
        // of (auto_steps - 1)(auto_steps + 2)/2 (6 instead of 20 for 6 rollout steps; 12 instead of 26 with teacher
        // forcing's).
        AcStepCache cache = predictor.newStepCache();
        if (autoSteps > 1) { // frame 0's keys and values
            predictor.forwardStep(cache, target.get(":, :" + hw), actions.get(":, :1"), states.get(":, :1"), null);
        }
        NDList rolled = new NDList(autoSteps);
        NDArray z = zTf.get(":, :" + hw); // [B, HW, E]: z_1, the teacher-forcing prediction of frame 1
        rolled.add(z);
        for (int k = 1; k < autoSteps; k++) {
            String step = ":, " + k + ":" + (k + 1);
            z = predictStep(cache, z, actions.get(step), states.get(step)); // [B, HW, E]: z_{k+1}
            rolled.add(z);
        }
        NDArray zAr = autoSteps == 1 ? z : NDArrays.concat(rolled, 1); // [B, auto_steps*HW, E]
        NDArray tfLoss = loss(zTf, target);
        NDArray arLoss = loss(zAr, target);
        return new NDArray[] {tfLoss, arLoss};
    }

    /**
     * The same losses as {@link #losses}, computed as the reference's training loop does: the predictor on the
     * whole growing sequence {@code [frame 0, z_1, .., z_k]} at every rollout step, the last frame's output kept.
     * About twice the cost of {@link #losses}; the baseline the cached rollout is tested and benchmarked against.
     *
     * @param h layer-normed tokens {@code [B, T*HW, E]}
     * @param actions {@code [B, T-1, A]}
     * @param states {@code [B, T, A]}
     * @return {teacher-forcing loss, rollout loss}, 0-d arrays
     */
    public NDArray[] referenceLosses(NDArray h, NDArray actions, NDArray states) {
        int hw = tokensPerFrame;
        long n = h.getShape().get(1);
        int t = (int) (n / hw);
        NDArray target = h.stopGradient();
        NDArray zTf = predict(target.get(":, :" + (n - hw)), actions, states.get(":, :" + (t - 1))); // [B,(T-1)HW,E]
        NDArray z = NDArrays.concat(new NDList(target.get(":, :" + hw), zTf.get(":, :" + hw)), 1); // [B, 2HW, E]
        for (int k = 1; k < autoSteps; k++) {
            NDArray next = predict(z, actions.get(":, :" + (k + 1)), states.get(":, :" + (k + 1))); // [B,(k+1)HW,E]
            z = NDArrays.concat(new NDList(z, next.get(":, " + (next.getShape().get(1) - hw) + ":")), 1);
        }
        NDArray zAr = z.get(":, " + hw + ":"); // [B, auto_steps*HW, E]
        return new NDArray[] {loss(zTf, target), loss(zAr, target)};
    }

    /** One rollout step over the cache: frame k's (imagined) tokens and action -> frame k+1's tokens. */
    private NDArray predictStep(AcStepCache cache, NDArray tokens, NDArray action, NDArray state) {
        NDArray z = predictor.forwardStep(cache, tokens, action, state, null); // [B, HW, E]
        return normalizeReps ? JepaLoss.layerNormNoAffine(z) : z;
    }

    private NDArray predict(NDArray tokens, NDArray actions, NDArray states) {
        NDArray z = predictor.forward(tokens, actions, states, null); // [B, k*HW, E]
        return normalizeReps ? JepaLoss.layerNormNoAffine(z) : z;
    }

    /** {@code mean(|z - h[frames 1..]|^p) / p} over the frames z predicts. */
    private NDArray loss(NDArray z, NDArray h) {
        long len = z.getShape().get(1);
        NDArray target = h.get(":, " + tokensPerFrame + ":" + (tokensPerFrame + len)); // [B, len, E]
        return JepaLoss.vjepaLoss(List.of(z), List.of(target), lossExp); // []
    }

    /**
     * The optimizer.
     *
     * @return the optimizer
     */
    public AdamW optimizer() {
        return optimizer;
    }
}
