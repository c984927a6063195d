package org.jepa4j.train.step;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.tensor.Autograd;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.core.tensor.Scalars;
import org.jepa4j.train.config.LossConfig;
import org.jepa4j.train.config.LossType;
import org.jepa4j.train.config.OptimizationConfig;
import org.jepa4j.train.optim.AdamW;
import org.jepa4j.train.optim.Gradients;
import org.jepa4j.train.precision.DynamicLossScaler;
import org.jepa4j.train.precision.MixedPrecisionOptimizer;
import org.jepa4j.train.precision.PrecisionPolicy;
import org.jepa4j.train.precision.Upcast;
import org.jepa4j.video.mask.MaskSet;

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
    private final List<JepaModel> replicas; // replicas.get(0) == master
    private final MixedPrecisionOptimizer optimizer;
    private final LossConfig loss;
    private final int[] maskTokenIndex;
    private final Double clipGrad;
    private final ExecutorService pool;
    private final Map<String, NDArray> trainable;

    private JepaStep(Builder b) {
        this.master = b.model;
        this.loss = b.loss;
        this.maskTokenIndex = b.maskTokenIndex;
        this.clipGrad = b.clipGrad;
        this.trainable = master.trainableParameters();
        List<JepaModel> list = new ArrayList<>();
        list.add(master);
        try {
            for (int i = 1; i < b.devices.size(); i++) {
                list.add(master.replicate(b.devices.get(i)));
            }
        } catch (RuntimeException e) {
            list.subList(1, list.size()).forEach(JepaModel::close);
            throw e;
        }
        this.replicas = List.copyOf(list);
        this.optimizer = MixedPrecisionOptimizer.create(master.weights(),
                AdamW.builder().optBetas(b.beta1, b.beta2).optEps(b.eps).optDecayRule(decayRule(b.maskTokenIndex)),
                b.lossScaler != null ? b.lossScaler : master.policy().newLossScaler());
        if (replicas.size() > 1) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(replicas.size(), r -> {
                Thread t = new Thread(r, "jepa4j-replica-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
        } else {
            pool = null;
        }
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
            if (mb.size() < replicas.size()) {
                throw new IllegalArgumentException("a micro-batch of " + mb.size() + " rows cannot be split over "
                        + replicas.size() + " replicas");
            }
            totalRows += mb.size();
        }
        if (phases != null) {
            phases.start();
        }
        zeroGradients();
        mark(phases, StepPhases.CLIP_ADAMW);
        double[] perSet = new double[numSets];
        for (MicroBatch mb : microBatches) {
            double[] part = runMicroBatch(mb, totalRows, phases);
            for (int i = 0; i < numSets; i++) {
                perSet[i] += part[i];
            }
        }
        double total = Arrays.stream(perSet).sum() / numSets;
        List<Double> perSetList = Arrays.stream(perSet).boxed().toList();
        double scale = optimizer.scaler().scale();
        if (!Double.isFinite(total)) { // bad input or diverged weights: not the loss scale's fault
            zeroGradients();
            return StepResult.nonFiniteLoss(total, perSetList, scale);
        }
        reduceGradients();
        double maxNorm = clip && clipGrad != null ? clipGrad : Double.NaN;
        // as the reference (app/vjepa/train.py): clip_grad_norm_ on the encoder, then on the predictor, each to maxNorm
        MixedPrecisionOptimizer.Update r = optimizer.step(lr, wd, maxNorm,
                List.of(JepaModel.ENCODER_PREFIX, JepaModel.PREDICTOR_PREFIX));
        mark(phases, StepPhases.CLIP_ADAMW);
        if (!r.applied()) {
            zeroGradients();
            return StepResult.nonFiniteGradients(total, perSetList, r.gradNorm(), optimizer.scaler().isEnabled(),
                    r.lossScale());
        }
        master.updateTarget(momentum);
        broadcastWeights();
        mark(phases, StepPhases.EMA);
        return StepResult.applied(total, perSetList, r.gradNorm(), r.clipped(), r.lossScale());
    }

    private void zeroGradients() {
        for (JepaModel r : replicas) {
            Gradients.zero(r.trainableParameters());
        }
    }

    /** Forward + backward of one micro-batch over all replicas; returns its weighted per-set losses. */
    private double[] runMicroBatch(MicroBatch mb, long totalRows, StepPhases phases) {
        int rows = mb.size();
        int n = replicas.size();
        if (n == 1) {
            return pass(master, mb, 0, rows, (double) rows / totalRows, phases);
        }
        List<Future<double[]>> futures = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int from = (int) ((long) rows * r / n);
            int to = (int) ((long) rows * (r + 1) / n);
            JepaModel replica = replicas.get(r);
            double weight = (double) (to - from) / totalRows;
            futures.add(pool.submit(() -> pass(replica, mb, from, to, weight, null)));
        }
        double[] sum = new double[mb.masks().size()];
        RuntimeException failure = null;
        for (Future<double[]> f : futures) {
            try {
                double[] part = f.get();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += part[i];
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while waiting for a replica", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                failure = c instanceof RuntimeException re ? re : new IllegalStateException("replica failed: " + c, c);
            }
        }
        if (failure != null) {
            throw failure;
        }
        mark(phases, StepPhases.BACKWARD);
        return sum;
    }

    /**
     * Forward and backward of rows [from, to) of a micro-batch on one replica, on the calling thread.
     *
     * @return per-set loss values times {@code weight}
     */
    private double[] pass(JepaModel model, MicroBatch mb, int from, int to, double weight, StepPhases phases) {
        List<MaskSet> masks = mb.masks();
        int numSets = masks.size();
        double[] out = new double[numSets];
        try (NDScope scope = new NDScope(); Autograd rec = Autograd.record()) {
            NDArray x = mb.video();
            if (from != 0 || to != x.getShape().get(0)) {
                x = x.get(new NDIndex("{}:{}", from, to));
            }
            if (!x.getDevice().equals(model.device())) {
                x = x.toDevice(model.device(), false); // [b, C, (T,) H, W]
            }
            final NDArray input = x;
            NDManager m = x.getManager();
            NDArray h;
            try (NoGrad ignored = NoGrad.enter()) {
                h = JepaLoss.layerNormNoAffine(Upcast.detached(model.targetEncoder().forward(x))); // [b, N, D] fp32
            }
            mark(phases, StepPhases.TARGET);
            Map<long[][], NDArray[]> contexts = new IdentityHashMap<>(); // context rows -> {ids, features}
            List<NDArray> setLosses = new ArrayList<>(numSets);
            for (int i = 0; i < numSets; i++) {
                MaskSet set = masks.get(i);
                NDArray[] ctx = contexts.computeIfAbsent(set.context(), c -> {
                    NDArray ids = ids(m, c, from, to); // [b, Nc]
                    return new NDArray[] {ids, model.encoder().forward(input, ids)}; // [b, Nc, D]
                });
                mark(phases, StepPhases.ENCODER);
                NDArray targetIds = ids(m, set.target(), from, to); // [b, Nt]
                NDArray pred = model.predictor().forward(ctx[1], ctx[0], targetIds, maskTokenIndex(i)); // [b, Nt, D]
                mark(phases, StepPhases.PREDICTOR);
                NDArray target = JepaLoss.gatherTokens(h, targetIds); // [b, Nt, D] float32
                setLosses.add(lossOf(pred, target)); // [] float32 (float16 - float32 promotes)
                mark(phases, StepPhases.LOSS);
            }
            NDArray total = setLosses.get(0);
            for (int i = 1; i < numSets; i++) {
                total = total.add(setLosses.get(i));
            }
            total = total.mul(Scalars.like(total, weight / numSets)); // [] this slice's share of the step's mean loss
            mark(phases, StepPhases.LOSS);
            Autograd.backward(optimizer.scaleLoss(total)); // scaled so that float16 gradients do not underflow
            for (int i = 0; i < numSets; i++) {
                out[i] = setLosses.get(i).getFloat() * weight;
            }
            mark(phases, StepPhases.BACKWARD);
        }
        return out;
    }

    private static void mark(StepPhases phases, String phase) {
        if (phases != null) {
            phases.mark(phase);
        }
    }

    private NDArray lossOf(NDArray pred, NDArray target) {
        if (loss.type() == LossType.SMOOTH_L1) {
            return JepaLoss.smoothL1(pred, target);
        }
        return JepaLoss.vjepaLoss(List.of(pred), List.of(target), loss.lossExp());
    }

    private int maskTokenIndex(int set) {
        return maskTokenIndex == null ? set : maskTokenIndex[set % maskTokenIndex.length];
    }

    private static NDArray ids(NDManager m, long[][] rows, int from, int to) {
        int k = rows[from].length;
        long[] flat = new long[(to - from) * k];
        for (int r = from; r < to; r++) {
            System.arraycopy(rows[r], 0, flat, (r - from) * k, k);
        }
        return m.create(flat, new Shape(to - from, k)); // int64 [b, K]
    }

    /** Adds the gradients of replicas 1..n-1 into the first replica's, on its device. */
    private void reduceGradients() {
        if (replicas.size() == 1) {
            return;
        }
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                NDArray p = e.getValue();
                if (!p.hasGradient()) {
                    continue;
                }
                NDArray g = p.getGradient();
                for (int r = 1; r < replicas.size(); r++) {
                    NDArray other = replicas.get(r).trainableParameters().get(e.getKey()).getGradient();
                    g.addi(other.getDevice().equals(g.getDevice()) ? other : other.toDevice(g.getDevice(), false));
                }
            }
        }
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
        return replicas;
    }

    /** Copies the first replica's weights to the others (after loading a checkpoint into it). */
    public void broadcastWeights() {
        for (int r = 1; r < replicas.size(); r++) {
            replicas.get(r).copyWeightsFrom(master);
        }
    }

    /** Frees the optimizer state, the replica threads and the replicas other than {@link #model()}. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        optimizer.close();
        for (int r = 1; r < replicas.size(); r++) {
            replicas.get(r).close();
        }
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
