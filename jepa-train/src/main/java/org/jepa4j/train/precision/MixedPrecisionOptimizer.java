package org.jepa4j.train.precision;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;
import org.jepa4j.train.optim.AdamW;

/**
 * One optimizer step for any {@link PrecisionPolicy}: AdamW on the float32 {@link MasterWeights}, gradients read
 * from the compute parameters, un-scaled and checked by a {@link DynamicLossScaler}, clipped in float32, and the
 * masters rounded back into the compute parameters.
 *
 * <pre>{@code
 * try (GradientCollector gc = engine.newGradientCollector()) {
 *     NDArray loss = ...;                        // float32 (float16 predictions - float32 targets)
 *     gc.backward(opt.scaleLoss(loss));
 * }
 * Update r = opt.step(lr, wd, clipGrad);     // skipped on overflow; masters -> compute when applied
 * Gradients.zero(weights.compute());
 * if (r.applied()) EmaUpdater.update(target, weights.masters("encoder."), momentum);
 * }</pre>
 *
 * <p>With float32 compute parameters and a {@linkplain DynamicLossScaler#disabled() disabled} scaler this is plain
 * AdamW with global-norm clipping (a non-finite gradient still skips the step). AdamW's moments and step count are
 * float32 state of the masters: {@code optimizer().exportState()} is interchangeable between policies.
 */
public final class MixedPrecisionOptimizer implements AutoCloseable {

    private final MasterWeights weights;
    private final AdamW optimizer;
    private final DynamicLossScaler scaler;

    private MixedPrecisionOptimizer(MasterWeights weights, AdamW optimizer, DynamicLossScaler scaler) {
        this.weights = weights;
        this.optimizer = optimizer;
        this.scaler = scaler;
    }

    /**
     * Creates the optimizer over the trainable masters.
     *
     * @param weights masters and compute parameters (not owned: close them with the model)
     * @param adamw AdamW hyper-parameters; built on {@link MasterWeights#masters()}
     * @param scaler the loss scaler (enabled for float16 compute)
     * @return the optimizer; close it to free the AdamW moments
     */
    public static MixedPrecisionOptimizer create(MasterWeights weights, AdamW.Builder adamw,
            DynamicLossScaler scaler) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(scaler, "scaler");
        return new MixedPrecisionOptimizer(weights, adamw.build(weights.masters()), scaler);
    }

    /**
     * The loss multiplied by the current loss scale, to call backward on.
     *
     * @param loss the float32 loss
     * @return the scaled loss
     */
    public NDArray scaleLoss(NDArray loss) {
        return scaler.scaleLoss(loss);
    }

    /**
     * After backward (collector closed): un-scales and checks the compute gradients, and when they are finite clips
     * them, updates the masters with AdamW and copies the masters into the compute parameters; then adapts the loss
     * scale. The compute gradients are left as they are: zero them before the next backward.
     *
     * @param lr learning rate of this step
     * @param weightDecay weight decay of this step
     * @param maxGradNorm clip the global norm of the un-scaled gradients to this; {@code <= 0} or NaN: no clipping
     * @return whether the step was applied, the gradient norm before clipping and the loss scale it used
     */
    public Update step(double lr, double weightDecay, double maxGradNorm) {
        return step(lr, weightDecay, maxGradNorm, List.of());
    }

    /**
     * As {@link #step(double, double, double)}, but clipping each group of parameters (by name prefix) by its own
     * norm, as the reference V-JEPA clips the encoder and the predictor separately
     * ({@link UnscaledGradients#clipEach}); an empty list clips all gradients by their global norm.
     *
     * @param lr learning rate of this step
     * @param weightDecay weight decay of this step
     * @param maxGradNorm the largest allowed norm of each group; {@code <= 0} or NaN: no clipping
     * @param clipGroups name prefixes of the separately clipped groups, or empty for one global norm
     * @return whether the step was applied, the global gradient norm before clipping and the loss scale it used
     */
    public Update step(double lr, double weightDecay, double maxGradNorm, List<String> clipGroups) {
        double usedScale = scaler.scale();
        boolean applied;
        boolean clipped = false;
        double norm;
        try (UnscaledGradients grads = scaler.unscale(weights.compute())) {
            norm = grads.norm();
            applied = grads.isFinite();
            if (applied) {
                clipped = clipGroups.isEmpty() ? grads.clip(maxGradNorm) != 1.0
                        : grads.clipEach(maxGradNorm, clipGroups);
                optimizer.step(grads.gradients(), lr, weightDecay);
            }
        }
        if (applied) {
            weights.copyToCompute();
        }
        scaler.update(applied);
        return new Update(applied, norm, usedScale, clipped);
    }

    /**
     * The master and compute weights.
     *
     * @return the float32 masters the optimizer updates and the compute copies refreshed from them
     */
    public MasterWeights weights() {
        return weights;
    }

    /**
     * The AdamW over the masters (export/load its state for checkpoints).
     *
     * @return the AdamW whose parameters are the float32 masters
     */
    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * The loss scaler (export/load its state for checkpoints; statistics for metrics).
     *
     * @return the dynamic loss scaler (disabled, scale 1, for float32 compute)
     */
    public DynamicLossScaler scaler() {
        return scaler;
    }

    /** Frees the AdamW moments (masters and model are not touched). */
    @Override
    public void close() {
        optimizer.close();
    }

    /**
     * Outcome of {@link #step}.
     *
     * @param applied false when the gradients overflowed and the step was skipped
     * @param gradNorm global L2 norm of the un-scaled gradients before clipping (non-finite when skipped)
     * @param lossScale the loss scale the gradients were computed with
     * @param clipped whether clipping scaled any gradient
     */
    public record Update(boolean applied, double gradNorm, double lossScale, boolean clipped) {
    }
}
