package org.jepa4j.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import org.jepa4j.core.tensor.NoGrad;

/**
 * AdamW with decoupled weight decay, as {@code torch.optim.AdamW}, over named parameters, with moments that
 * can be exported to and restored from checkpoints.
 *
 * <p>For every trainable parameter p (one that {@linkplain NDArray#hasGradient() requires a gradient}) with
 * gradient g, at step t (1-based):
 * <pre>
 *   p  = p * (1 - lr * wd)                      (only for parameters that decay)
 *   m  = beta1 * m + (1 - beta1) * g
 *   v  = beta2 * v + (1 - beta2) * g^2
 *   p  = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * By default biases (names containing {@code "bias"}) and 1-D parameters do not decay, as in the reference
 * {@code init_opt}. Parameters are updated in place; every temporary of a step lives in an {@link NDScope},
 * so the number of live arrays does not grow over a run. Updating parameters that require gradients in
 * place needs PyTorch grad mode off, which is the case on the thread that created the engine outside a
 * {@code GradientCollector}: call {@link #step} after the collector is closed, on the training thread.
 */
public final class AdamW implements AutoCloseable {

    /** Prefix of first-moment entries in {@link #exportState()}. */
    public static final String EXP_AVG = "exp_avg.";
    /** Prefix of second-moment entries in {@link #exportState()}. */
    public static final String EXP_AVG_SQ = "exp_avg_sq.";
    /** Name of the step-count entry (INT64, shape [1]) in {@link #exportState()}. */
    public static final String STEP = "step";

    private final Map<String, NDArray> params;
    private final Map<String, Boolean> decays;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final NDManager manager;
    private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
    private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
    private long step;
    private boolean fused = true;

    private AdamW(Builder b, Map<String, NDArray> allParams) {
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        Map<String, NDArray> trainable = new LinkedHashMap<>();
        Map<String, Boolean> decay = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : allParams.entrySet()) {
            NDArray p = e.getValue();
            if (p.hasGradient()) {
                if (p.getDataType() != DataType.FLOAT32) {
                    throw new IllegalArgumentException("parameter '" + e.getKey() + "' is " + p.getDataType()
                            + "; AdamW keeps float32 parameters");
                }
                trainable.put(e.getKey(), p);
                decay.put(e.getKey(), b.decayRule.test(e.getKey(), p));
            }
        }
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("no trainable parameters (none has requiresGradient=true) among "
                    + allParams.size() + " given");
        }
        this.params = Collections.unmodifiableMap(trainable);
        this.decays = Collections.unmodifiableMap(decay);
        this.manager = trainable.values().iterator().next().getManager().newSubManager();
        this.manager.setName("adamw-moments");
        for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
            NDArray p = e.getValue();
            expAvg.put(e.getKey(), manager.zeros(p.getShape(), DataType.FLOAT32, p.getDevice()));
            expAvgSq.put(e.getKey(), manager.zeros(p.getShape(), DataType.FLOAT32, p.getDevice()));
        }
    }

    /**
     * Starts a builder with the reference hyper-parameters: betas (0.9, 0.999), eps 1e-8.
     *
     * @return a builder holding the reference defaults; call {@link Builder#build} with the parameters
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reference parameter-group rule: a parameter decays unless its name contains {@code "bias"} or it
     * has exactly one dimension.
     *
     * @param name parameter name
     * @param param the parameter
     * @return true when weight decay applies
     */
    public static boolean referenceDecayRule(String name, NDArray param) {
        return !name.contains("bias") && param.getShape().dimension() != 1;
    }

    /**
     * One update using each parameter's own gradient ({@code p.getGradient()}).
     *
     * @param lr learning rate of this step
     * @param weightDecay weight decay of this step (applied to decaying parameters only)
     */
    public void step(double lr, double weightDecay) {
        step(null, lr, weightDecay);
    }

    /**
     * One update with explicit gradients (e.g. accumulated or averaged across devices).
     *
     * @param gradients name to gradient for every trainable parameter, or null to read {@code p.getGradient()}
     * @param lr learning rate of this step
     * @param weightDecay weight decay of this step (applied to decaying parameters only)
     */
    public void step(Map<String, NDArray> gradients, double lr, double weightDecay) {
        if (!(lr >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("lr and weight decay must be >= 0, got lr " + lr + ", wd " + weightDecay);
        }
        long t = step + 1;
        double bias1 = 1 - Math.pow(beta1, t);
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        double stepSize = lr / bias1;
        try (NDScope scope = new NDScope()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                NDArray g = gradients == null ? p.getGradient() : gradients.get(name);
                if (g == null) {
                    throw new IllegalArgumentException("no gradient given for parameter '" + name + "'");
                }
                if (!g.getShape().equals(p.getShape())) {
                    throw new IllegalArgumentException("gradient of '" + name + "' has shape " + g.getShape()
                            + ", parameter has " + p.getShape());
                }
                grads.put(name, g);
            }
            if (fusedStep(grads, t, lr, weightDecay)) {
                step = t;
                return;
            }
            // Float32 scalars, created once per step and device (a Number operand costs a create + close per op).
            Map<Device, StepScalars> scalars = new HashMap<>();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                NDArray g = grads.get(name);
                StepScalars s = scalars.computeIfAbsent(p.getDevice(),
                        d -> new StepScalars(p.getManager(), d, lr * weightDecay, stepSize, bias2Sqrt, beta1, beta2,
                                eps));
                NDArray m = expAvg.get(name);
                NDArray v = expAvgSq.get(name);
                if (decays.get(name) && lr * weightDecay != 0) {
                    p.muli(s.decay); // p *= 1 - lr*wd
                }
                m.muli(s.beta1).addi(g.mul(s.oneMinusBeta1)); // m = b1 m + (1-b1) g
                v.muli(s.beta2).addi(g.square().muli(s.oneMinusBeta2)); // v = b2 v + (1-b2) g^2
                NDArray denom = v.sqrt().divi(s.bias2Sqrt).addi(s.eps); // sqrt(v)/sqrt(1-b2^t) + eps
                p.subi(m.div(denom).muli(s.stepSize)); // p -= lr/(1-b1^t) * m/denom
            }
        }
        step = t;
    }

    /**
     * The update through {@link FusedAdamWKernel} (two parameter groups: decaying and not), when it can run.
     *
     * @return false when the fused kernel is unavailable for these tensors (nothing was changed)
     */
    private boolean fusedStep(Map<String, NDArray> grads, long t, double lr, double weightDecay) {
        List<NDArray> all = new ArrayList<>(params.size() * 4);
        all.addAll(params.values());
        all.addAll(grads.values());
        all.addAll(expAvg.values());
        all.addAll(expAvgSq.values());
        if (!fused || !FusedAdamWKernel.isAvailable(all)) {
            return false;
        }
        ParamGroup decay = ParamGroup.empty();
        ParamGroup noDecay = ParamGroup.empty();
        for (String name : params.keySet()) {
            ParamGroup group = decays.get(name) && lr * weightDecay != 0 ? decay : noDecay;
            group.add(params.get(name), grads.get(name), expAvg.get(name), expAvgSq.get(name));
        }
        NDArray stepCount = manager.create((float) t); // [] float32, read by the kernel
        try (NoGrad ignored = NoGrad.enter()) {
            FusedAdamWKernel.update(decay, stepCount, lr, beta1, beta2, weightDecay, eps);
            FusedAdamWKernel.update(noDecay, stepCount, lr, beta1, beta2, 0.0, eps);
        } finally {
            stepCount.close();
        }
        return true;
    }

    /** Makes this optimizer use the per-op loop even where the fused kernel is available (tests compare both). */
    void useLoop() {
        fused = false;
    }

    /** Whether the fused kernel is loaded in this JVM (false: every optimizer runs the per-op loop). */
    static boolean fusedKernelLoaded() {
        return FusedAdamWKernel.isAvailable(List.of());
    }

    /**
     * Updates performed so far.
     *
     * @return the number of {@link #step} calls applied so far (0 before the first; restored from a checkpoint)
     */
    public long stepCount() {
        return step;
    }

    /**
     * Trainable parameters this optimizer updates, in order.
     *
     * @return the live parameter arrays by name, in update order (not copies; owned by the model)
     */
    public Map<String, NDArray> parameters() {
        return params;
    }

    /**
     * Whether weight decay applies to the named parameter.
     *
     * @param name a parameter name as in {@link #parameters()}, e.g. {@code encoder.blocks.0.attn.qkv.weight}
     * @return true when the decoupled weight decay is applied to that parameter
     */
    public boolean decays(String name) {
        Boolean d = decays.get(name);
        if (d == null) {
            throw new IllegalArgumentException("not a trainable parameter of this optimizer: '" + name + "'");
        }
        return d;
    }

    /**
     * The optimizer state for a checkpoint: {@code exp_avg.<name>} and {@code exp_avg_sq.<name>} for every
     * parameter plus {@code step} (INT64 [1]). The moment arrays are the live ones (no copy): write them
     * out before the next {@link #step}, and do not close them. The {@code step} array is new and
     * belongs to the optimizer's manager; it is freed with the optimizer.
     *
     * @return {@code m.<name>} and {@code v.<name>} (float32, each shaped like its parameter) plus
     *         {@code step} (INT64 [1])
     */
    public Map<String, NDArray> exportState() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : params.keySet()) {
            out.put(EXP_AVG + name, expAvg.get(name));
            out.put(EXP_AVG_SQ + name, expAvgSq.get(name));
        }
        out.put(STEP, manager.create(new long[] {step}, new Shape(1)));
        return out;
    }

    /**
     * Restores a state written by {@link #exportState()}: copies every moment (to this optimizer's device)
     * and the step count. The given arrays are not kept or closed.
     *
     * @param state name to array, as exported
     * @throws IllegalArgumentException naming the entry that is missing or has the wrong shape
     */
    public void loadState(Map<String, NDArray> state) {
        Objects.requireNonNull(state, "state");
        NDArray s = state.get(STEP);
        if (s == null || s.size() != 1) {
            throw new IllegalArgumentException("optimizer state lacks a one-element '" + STEP + "' entry");
        }
        for (String name : params.keySet()) {
            for (String key : List.of(EXP_AVG + name, EXP_AVG_SQ + name)) {
                NDArray a = state.get(key);
                if (a == null) {
                    throw new IllegalArgumentException("optimizer state lacks '" + key + "'");
                }
                if (!a.getShape().equals(params.get(name).getShape())) {
                    throw new IllegalArgumentException("optimizer state '" + key + "' has shape " + a.getShape()
                            + ", parameter '" + name + "' has " + params.get(name).getShape());
                }
            }
        }
        long restoredStep = s.toType(DataType.INT64, false).toLongArray()[0];
        for (String name : params.keySet()) {
            replace(expAvg, name, state.get(EXP_AVG + name));
            replace(expAvgSq, name, state.get(EXP_AVG_SQ + name));
        }
        step = restoredStep;
    }

    private void replace(Map<String, NDArray> moments, String name, NDArray source) {
        NDArray old = moments.get(name);
        // A real copy: toDevice(sameDevice, true) aliases the source's storage in DJL, and the source (a loaded
        // checkpoint) is closed after loading, which may free that storage.
        NDArray copy = source.getDevice().equals(old.getDevice()) ? source.duplicate()
                : source.toDevice(old.getDevice(), true);
        if (copy.getDataType() != DataType.FLOAT32) {
            NDArray converted = copy.toType(DataType.FLOAT32, false);
            copy.close();
            copy = converted;
        }
        copy.attach(manager);
        moments.put(name, copy);
        old.close();
    }

    /** Frees the moments. Parameters are not touched. */
    @Override
    public void close() {
        manager.close();
    }

    /** Per-step float32 scalar operands on one device. */
    private static final class StepScalars {
        final NDArray decay;
        final NDArray beta1;
        final NDArray oneMinusBeta1;
        final NDArray beta2;
        final NDArray oneMinusBeta2;
        final NDArray bias2Sqrt;
        final NDArray eps;
        final NDArray stepSize;

        StepScalars(NDManager m, Device d, double lrWd, double stepSize, double bias2Sqrt, double beta1,
                double beta2, double eps) {
            this.decay = scalar(m, d, 1 - lrWd);
            this.beta1 = scalar(m, d, beta1);
            this.oneMinusBeta1 = scalar(m, d, 1 - beta1);
            this.beta2 = scalar(m, d, beta2);
            this.oneMinusBeta2 = scalar(m, d, 1 - beta2);
            this.bias2Sqrt = scalar(m, d, bias2Sqrt);
            this.eps = scalar(m, d, eps);
            this.stepSize = scalar(m, d, stepSize);
        }

        private static NDArray scalar(NDManager m, Device d, double value) {
            return m.create((float) value).toDevice(d, false);
        }
    }

    /** Builder of {@link AdamW}. */
    public static final class Builder {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private BiPredicate<String, NDArray> decayRule = AdamW::referenceDecayRule;

        private Builder() {
        }

        /**
         * Sets (beta1, beta2), each in [0, 1).
         *
         * @param beta1 decay rate of the first moment (gradient mean), default 0.9
         * @param beta2 decay rate of the second moment (squared gradient mean), default 0.999
         * @return this builder
         */
        public Builder optBetas(double beta1, double beta2) {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
            }
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets epsilon (> 0).
         *
         * @param eps term added to the square root of the second moment in the denominator (default 1e-8)
         * @return this builder
         */
        public Builder optEps(double eps) {
            if (!(eps > 0)) {
                throw new IllegalArgumentException("eps must be > 0, got " + eps);
            }
            this.eps = eps;
            return this;
        }

        /**
         * Replaces the rule deciding which parameters decay (default {@link #referenceDecayRule}).
         *
         * @param rule predicate on (parameter name, parameter array) that is true when the parameter decays
         * @return this builder
         */
        public Builder optDecayRule(BiPredicate<String, NDArray> rule) {
            this.decayRule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /**
         * Builds the optimizer; moments are zeros on each parameter's device, owned by a sub-manager of
         * the first parameter's manager.
         *
         * @param params the model's named parameters; those that do not require gradients are skipped
         * @return a new optimizer at step 0 with zeroed moments, owning its moment arrays
         */
        public AdamW build(Map<String, NDArray> params) {
            return new AdamW(this, params);
        }
    }
}
