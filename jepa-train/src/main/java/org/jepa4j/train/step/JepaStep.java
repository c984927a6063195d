package org.jepa4j.train.step;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import org.jepa4j.train.config.LossConfig;
import org.jepa4j.train.config.OptimizationConfig;
import org.jepa4j.train.optim.AdamW;
import org.jepa4j.train.precision.DynamicLossScaler;
import org.jepa4j.train.precision.MixedPrecisionOptimizer;
import org.jepa4j.train.precision.PrecisionPolicy;

/**
 * One JEPA optimizer step, V-JEPA (video, L1 loss with exponent) or I-JEPA (images, smooth L1), optionally data
 * parallel over several devices of one machine and accumulated over micro-batches.
 *
 * <p>For each micro-batch and each replica (a contiguous slice of the micro-batch's rows on the replica's device):
 * <pre>
 *   h   = layerNormNoAffine(targetEncoder(x))             [b, N, D]   no gradients
 *   for each mask set i:
 *     z_i = encoder(x, contextIds_i)                       [b, Nc, D]  (computed once per distinct context)
 *     p_i = predictor(z_i, contextIds_i, targetIds_i, i)   [b, Nt, D]
 *     l_i = loss(p_i, gather(h, targetIds_i))              []
 *   backward(mean_i(l_i) * b / B_total)                    gradients accumulate in .grad
 * </pre>
 * The backward pass runs on the loss multiplied by the loss scale ({@link DynamicLossScaler}; 1 under fp32/tf32),
 * into the compute parameters' gradients (float16 under fp16-mixed). Then the replicas' gradients are summed on the
 * first device (so the result equals one device on the whole batch; under fp16-mixed the sum is float16 and may
 * overflow, which the scaler catches like any overflow), and:
 * <ul>
 *   <li>a non-finite loss skips the update (gradients zeroed, the loss scale untouched: bad data is not an
 *       overflow), {@link StepResult#skipped()};
 *   <li>otherwise {@link MixedPrecisionOptimizer#step} un-scales the gradients into float32 and checks them in one
 *       fused pass; non-finite gradients of a finite loss are an <em>overflow</em> ({@link StepResult#overflow()},
 *       only under fp16-mixed): the step is skipped and the loss scale halved; finite ones are clipped, the encoder's
 *       and the predictor's each by its own norm as the reference V-JEPA does ({@code clip_grad_norm_} once per
 *       network), AdamW updates the float32 masters, and the masters are rounded into the compute parameters;
 *   <li>after an applied step the target encoder moves by EMA on the float32 masters
 *       ({@link JepaModel#updateTarget}) and the weights are copied to the other replicas.
 * </ul>
 * Target features are converted to float32 before their layer norm, so the loss and its reduction are float32 (float16
 * predictions minus float32 targets promote). Every temporary lives in an {@link NDScope}: the count of live
 * NDArrays does not grow from step to step.
 *
 * <p>Replicas run in parallel threads (each with its own PyTorch grad mode); DJL's {@code GradientCollector} and
 * EasyTrain multi-device path are not used.
 */
public final class JepaStep implements AutoCloseable {

    private final JepaModel master;
    private final ReplicaSet replicas;
    private final MixedPrecisionOptimizer optimizer;
    private final ForwardBackward pass;
    private final Double clipGrad;

    private JepaStep(Builder b) {
        this.master = b.model;
        this.clipGrad = b.clipGrad;
        this.replicas = new ReplicaSet(master, b.devices);
        this.optimizer = MixedPrecisionOptimizer.create(master.weights(),
                AdamW.builder().optBetas(b.beta1, b.beta2).optEps(b.eps).optDecayRule(decayRule(b.maskTokenIndex)),
                b.lossScaler != null ? b.lossScaler : master.policy().newLossScaler());
        this.pass = new ForwardBackward(b.loss, b.maskTokenIndex, optimizer);
    }

    /**
     * The reference weight-decay rule, except that predictor mask tokens no mask set uses do not decay: they never
     * get a gradient, and {@code torch.optim.AdamW} skips a parameter without one entirely (weight decay included).
     * With zero moments and a zero gradient our AdamW then leaves them unchanged too. (V-JEPA 2 uses token 0 for
     * every mask set, so its other tokens keep their initial or loaded values.)
     */
    static BiPredicate<String, NDArray> decayRule(int[] maskTokenIndex) {
        if (maskTokenIndex == null) { // set i uses token i: which tokens are unused depends on the mask sets
            return AdamW::referenceDecayRule;
        }
        Set<String> used = new HashSet<>();
        for (int i : maskTokenIndex) {
            used.add(Integer.toString(i));
        }
        return (name, p) -> AdamW.referenceDecayRule(name, p) && !(name.contains("mask_tokens.")
                && !used.contains(name.substring(name.lastIndexOf('.') + 1)));
    }

    /**
     * A new builder.
     *
     * @return an empty builder; {@link Builder#setModel} is required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs one optimizer step over {@code microBatches} (gradient accumulation: their gradients are averaged,
     * weighted by their sizes, so k micro-batches of B equal one batch of kB).
     *
     * @param microBatches the micro-batches of this step (each with at least one row per replica)
     * @param lr learning rate of this step
     * @param wd weight decay of this step
     * @param momentum EMA momentum of this step
     * @param clip whether to clip by the configured global norm in this step
     * @return losses, gradient norm and whether the update was skipped
     */
    public StepResult step(List<MicroBatch> microBatches, double lr, double wd, double momentum, boolean clip) {
        return step(microBatches, lr, wd, momentum, clip, null);
    }

    /**
     * Runs one optimizer step as {@link #step(List, double, double, double, boolean)} and adds the wall time of
     * each of its phases to {@code phases} (the phases of a single-replica step; with several replicas the forward
     * and backward of all replicas count as {@link StepPhases#BACKWARD}).
     *
     * @param microBatches the micro-batches of this step (each with at least one row per replica)
     * @param lr learning rate of this step
     * @param wd weight decay of this step
     * @param momentum EMA momentum of this step
     * @param clip whether to clip by the configured global norm in this step
     * @param phases where to add the phase times, or null
     * @return losses, gradient norm and whether the update was skipped
     */
    public StepResult step(List<MicroBatch> microBatches, double lr, double wd, double momentum, boolean clip,
            StepPhases phases) {
        if (microBatches.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one micro-batch");
        }
        int numSets = microBatches.get(0).masks().size();
        long totalRows = 0;
        for (MicroBatch mb : microBatches) {
            if (mb.masks().size() != numSets) {
                throw new IllegalArgumentException("micro-batches differ in their number of mask sets: " + numSets
                        + " vs " + mb.masks().size());
            }
            if (mb.size() < replicas.models().size()) {
                throw new IllegalArgumentException("a micro-batch of " + mb.size() + " rows cannot be split over "
                        + replicas.models().size() + " replicas");
            }
            totalRows += mb.size();
        }
        if (phases != null) {
            phases.start();
        }
        replicas.zeroGradients();
        StepPhases.mark(phases, StepPhases.CLIP_ADAMW);
        double[] perSet = new double[numSets];
        for (MicroBatch mb : microBatches) {
            double[] part = replicas.forwardBackward(mb, totalRows, phases, pass);
            for (int i = 0; i < numSets; i++) {
                perSet[i] += part[i];
            }
        }
        double total = Arrays.stream(perSet).sum() / numSets;
        List<Double> perSetList = Arrays.stream(perSet).boxed().toList();
        double scale = optimizer.scaler().scale();
        if (!Double.isFinite(total)) { // bad input or diverged weights: not the loss scale's fault
            replicas.zeroGradients();
            return StepResult.nonFiniteLoss(total, perSetList, scale);
        }
        replicas.reduceGradients();
        double maxNorm = clip && clipGrad != null ? clipGrad : Double.NaN;
        // as the reference (app/vjepa/train.py): clip_grad_norm_ on the encoder, then on the predictor, each to maxNorm
        MixedPrecisionOptimizer.Update r = optimizer.step(lr, wd, maxNorm,
                List.of(JepaModel.ENCODER_PREFIX, JepaModel.PREDICTOR_PREFIX));
        StepPhases.mark(phases, StepPhases.CLIP_ADAMW);
        if (!r.applied()) {
            replicas.zeroGradients();
            return StepResult.nonFiniteGradients(total, perSetList, r.gradNorm(), optimizer.scaler().isEnabled(),
                    r.lossScale());
        }
        master.updateTarget(momentum);
        broadcastWeights();
        StepPhases.mark(phases, StepPhases.EMA);
        return StepResult.applied(total, perSetList, r.gradNorm(), r.clipped(), r.lossScale());
    }

    /**
     * The AdamW over the float32 masters (its moments are part of a checkpoint).
     *
     * @return the AdamW updating the model's float32 masters
     */
    public AdamW optimizer() {
        return optimizer.optimizer();
    }

    /**
     * The loss scaler (its state is part of a checkpoint; scale 1 forever under fp32/tf32).
     *
     * @return the scaler applied to the loss before backward
     */
    public DynamicLossScaler lossScaler() {
        return optimizer.scaler();
    }

    /**
     * The model the optimizer updates (replica 0).
     *
     * @return replica 0, whose masters the optimizer updates and whose weights are checkpointed
     */
    public JepaModel model() {
        return master;
    }

    /**
     * All replicas; the first is {@link #model()}.
     *
     * @return the data-parallel replicas, one per device, replica 0 first (an unmodifiable list)
     */
    public List<JepaModel> replicas() {
        return replicas.models();
    }

    /** Copies the first replica's weights to the others (after loading a checkpoint into it). */
    public void broadcastWeights() {
        replicas.broadcastWeights();
    }

    /** Frees the optimizer state, the replica threads and the replicas other than {@link #model()}. */
    @Override
    public void close() {
        replicas.stopThreads();
        optimizer.close();
        replicas.closeCopies();
    }

    /** Builder of {@link JepaStep}. */
    public static final class Builder {
        private JepaModel model;
        private List<Device> devices;
        private LossConfig loss = LossConfig.defaults();
        private int[] maskTokenIndex;
        private Double clipGrad;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private DynamicLossScaler lossScaler;

        private Builder() {
        }

        /**
         * The model to train (required); it is the first replica and is not closed by the step.
         *
         * @param model the encoder, predictor and target encoder to train; owned by the caller
         * @return this builder
         */
        public Builder setModel(JepaModel model) {
            this.model = model;
            return this;
        }

        /**
         * Devices of the data-parallel replicas (default: only the model's device). The first must be the model's
         * device; a device may repeat (several replicas on one device, as the equality tests do on the CPU).
         *
         * @param devices one device per replica, the model's device first
         * @return this builder
         */
        public Builder optDevices(List<Device> devices) {
            this.devices = List.copyOf(devices);
            return this;
        }

        /**
         * The loss (default: V-JEPA L1).
         *
         * @param loss the loss type and its settings, comparing predictions with target-encoder features
         * @return this builder
         */
        public Builder optLoss(LossConfig loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /**
         * Mask token used by each mask set (default: set i uses token i; I-JEPA uses token 0 for every target block).
         *
         * @param maskTokenIndex for each mask set i, the index of the predictor mask token it uses
         * @return this builder
         */
        public Builder optMaskTokenIndex(int[] maskTokenIndex) {
            this.maskTokenIndex = maskTokenIndex.clone();
            return this;
        }

        /**
         * Max gradient norm of each network (encoder and predictor are clipped separately, as the reference), or
         * null for no clipping (default null).
         *
         * @param clipGrad the maximum L2 norm of each network's gradients, or null not to clip
         * @return this builder
         */
        public Builder optClipGrad(Double clipGrad) {
            this.clipGrad = clipGrad;
            return this;
        }

        /**
         * The loss scaler (default: the model policy's, {@link PrecisionPolicy#newLossScaler()}); e.g. a scaler
         * with another initial scale.
         *
         * @param lossScaler the scaler to use instead of the policy's default; its state then advances with every step
         * @return this builder
         */
        public Builder optLossScaler(DynamicLossScaler lossScaler) {
            this.lossScaler = Objects.requireNonNull(lossScaler, "lossScaler");
            return this;
        }

        /**
         * AdamW betas, eps and clipping from an optimization section.
         *
         * @param c the optimization section of a training config (betas, eps, clip_grad read from it)
         * @return this builder
         */
        public Builder optOptimization(OptimizationConfig c) {
            this.beta1 = c.betas().get(0);
            this.beta2 = c.betas().get(1);
            this.eps = c.eps();
            this.clipGrad = c.clipGrad();
            return this;
        }

        /**
         * Builds the step: creates the replicas (weights copied from the model) and the optimizer.
         *
         * @return the step; close it when training ends
         */
        public JepaStep build() {
            if (model == null) {
                throw new IllegalArgumentException("JepaStep: the model is required (setModel)");
            }
            if (devices == null || devices.isEmpty()) {
                devices = List.of(model.device());
            }
            if (!devices.get(0).equals(model.device())) {
                throw new IllegalArgumentException("JepaStep: the first device " + devices.get(0)
                        + " must be the model's device " + model.device());
            }
            return new JepaStep(this);
        }
    }
}
