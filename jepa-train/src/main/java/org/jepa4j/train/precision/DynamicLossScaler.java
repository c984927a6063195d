package org.jepa4j.train.precision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import org.jepa4j.core.tensor.Scalars;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Dynamic loss scaling with the semantics of {@code torch.cuda.amp.GradScaler}: the loss is multiplied by the scale
 * before backward so that small float16 gradients do not underflow; after backward the gradients are un-scaled in
 * float32 and checked for Inf/NaN; an overflowing step is skipped and the scale multiplied by the backoff factor
 * (0.5); after {@code growthInterval} (2000) clean steps in a row the scale is multiplied by the growth factor (2).
 * Initial scale 2^16.
 *
 * <p>The check is one fused reduction: per parameter one multiply (cast to float32 and un-scale at once, by type
 * promotion with a one-element float32 array) and one L2 norm, then a single norm over the stacked per-tensor norms,
 * read back to the host once. Any Inf/NaN gradient makes that global norm non-finite; its value is the gradient norm
 * used for clipping and metrics.
 *
 * <p>A {@linkplain #disabled() disabled} scaler keeps scale 1 forever (float32 training): gradients are only
 * checked, and a non-finite one still skips the step. State for checkpoints: {@link #exportState(NDManager)} /
 * {@link #loadState(Map)}; statistics for metrics: {@link #scale()}, {@link #skippedSteps()},
 * {@link #consecutiveSkips()}.
 */
public final class DynamicLossScaler {

    /** Checkpoint entry: the current scale (FLOAT64 [1]). */
    public static final String SCALE = "scale";
    /** Checkpoint entry: clean steps since the last change of scale (INT64 [1]). */
    public static final String GROWTH_TRACKER = "growth_tracker";
    /** Checkpoint entry: steps skipped so far (INT64 [1]). */
    public static final String SKIPPED_STEPS = "skipped_steps";

    private final boolean enabled;
    private final double growthFactor;
    private final double backoffFactor;
    private final int growthInterval;
    private double scale;
    private int growthTracker;
    private long skippedSteps;
    private int consecutiveSkips;

    private DynamicLossScaler(boolean enabled, double initScale, double growthFactor, double backoffFactor,
            int growthInterval) {
        this.enabled = enabled;
        this.scale = initScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
    }

    /**
     * A builder with the GradScaler defaults: init 2^16, growth 2, backoff 0.5, interval 2000.
     *
     * @return a builder holding the GradScaler defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A scaler fixed at scale 1 that only checks gradients (float32 training).
     *
     * @return a new scaler whose scale stays 1 and that never grows or backs off
     */
    public static DynamicLossScaler disabled() {
        return new DynamicLossScaler(false, 1.0, 1.0, 1.0, Integer.MAX_VALUE);
    }

    /**
     * Whether the scale changes (false for {@link #disabled()}).
     *
     * @return true when the scale grows and backs off; false for a fixed scale of 1
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * The loss multiplied by the current scale, to call backward on.
     *
     * @param loss the (float32) loss
     * @return {@code loss * scale}, or {@code loss} itself when the scale is 1
     */
    public NDArray scaleLoss(NDArray loss) {
        return scale == 1.0 ? loss : loss.mul(Scalars.like(loss, scale));
    }

    /**
     * Un-scales the gradients of every trainable parameter into float32 and checks them, in one fused reduction
     * (see the class comment). Call it after backward, outside the {@code GradientCollector}.
     *
     * @param parameters compute parameters by name; those that do not require a gradient are skipped
     * @return the float32 gradients, their global norm and whether they are finite; close it after use
     * @throws IllegalArgumentException if no parameter requires a gradient
     */
    public UnscaledGradients unscale(Map<String, NDArray> parameters) {
        NDManager owner = null;
        Map<String, NDArray> out = new LinkedHashMap<>();
        double norm;
        float[] tensorNorms;
        try (NDScope scope = new NDScope()) {
            Map<Device, NDArray> inverse = new LinkedHashMap<>();
            List<NDArray> norms = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray p = e.getValue();
                if (!p.hasGradient()) {
                    continue;
                }
                if (owner == null) {
                    owner = p.getManager().newSubManager();
                    owner.setName("unscaled-gradients");
                }
                NDArray g = p.getGradient(); // [*shape], float16 or float32, scaled
                NDArray g32;
                if (g.getDataType() == DataType.FLOAT32 && scale == 1.0) {
                    g32 = g; // nothing to convert: the live gradient itself
                } else {
                    NDArray inv = inverse.computeIfAbsent(g.getDevice(), d -> g.getManager()
                            .create(new float[] {(float) (1.0 / scale)}, new Shape(1)).toDevice(d, false));
                    g32 = g.mul(inv); // float16 * float32[1] -> float32: cast and un-scale in one op
                    if (g32.getShape().dimension() != g.getShape().dimension()) {
                        g32 = g32.reshape(g.getShape()); // a 0-d gradient broadcast to [1]
                    }
                }
                NDScope.unregister(g32);
                g32.attach(owner);
                out.put(e.getKey(), g32);
                norms.add(g32.norm()); // [] L2 norm, Inf/NaN propagate
            }
            if (owner == null) {
                throw new IllegalArgumentException("no parameter requires a gradient among " + parameters.size());
            }
            Device first = norms.get(0).getDevice();
            NDList onOneDevice = new NDList();
            for (NDArray n : norms) {
                onOneDevice.add(n.getDevice().equals(first) ? n : n.toDevice(first, false));
            }
            NDArray perTensor = NDArrays.stack(onOneDevice); // [P] float32 L2 norm of each gradient
            NDArray total = perTensor.norm(); // [] global norm: one read for all parameters
            norm = total.toType(DataType.FLOAT64, false).getDouble();
            tensorNorms = perTensor.toType(DataType.FLOAT32, false).toFloatArray(); // kept for per-group clipping
        } catch (RuntimeException ex) {
            if (owner != null) {
                owner.close();
            }
            throw ex;
        }
        return new UnscaledGradients(out, norm, tensorNorms, owner);
    }

    /**
     * Records the outcome of a step's check and adapts the scale: on overflow the step is skipped and the scale
     * backs off; after {@code growthInterval} clean steps in a row it grows.
     *
     * @param finite whether the gradients were finite ({@link UnscaledGradients#isFinite()})
     * @return whether the step should be applied (= {@code finite})
     */
    public boolean update(boolean finite) {
        if (!finite) {
            skippedSteps++;
            consecutiveSkips++;
            growthTracker = 0;
            if (enabled) {
                scale *= backoffFactor;
            }
            return false;
        }
        consecutiveSkips = 0;
        if (enabled) {
            growthTracker++;
            if (growthTracker >= growthInterval) {
                double grown = scale * growthFactor;
                if (Double.isFinite(grown) && grown <= Float.MAX_VALUE) {
                    scale = grown;
                }
                growthTracker = 0;
            }
        }
        return true;
    }

    /**
     * The current loss scale.
     *
     * @return the factor the loss is multiplied by before backward (gradients are divided by it after)
     */
    public double scale() {
        return scale;
    }

    /**
     * Clean steps since the scale last changed.
     *
     * @return the count of consecutive clean steps since the last growth or backoff, in [0, growth interval)
     */
    public int growthTracker() {
        return growthTracker;
    }

    /**
     * Steps skipped because of non-finite gradients since the run started (restored from checkpoints).
     *
     * @return the total number of optimizer steps skipped for Inf/NaN gradients
     */
    public long skippedSteps() {
        return skippedSteps;
    }

    /**
     * Steps skipped in a row up to now (0 after an applied step); a long streak means real NaNs, not overflow.
     *
     * @return the length of the current streak of skipped steps
     */
    public int consecutiveSkips() {
        return consecutiveSkips;
    }

    /**
     * The checkpointable state as plain values (e.g. for {@code TrainingState.lossScale} and its {@code extra} map).
     *
     * @return scale, growth tracker and skipped steps
     */
    public State state() {
        return new State(scale, growthTracker, skippedSteps);
    }

    /**
     * Restores a state from {@link #state()}. A disabled scaler keeps scale 1 and only takes the skipped count.
     *
     * @param state the saved state
     * @throws IllegalArgumentException for a non-positive or non-finite scale or negative counters
     */
    public void restore(State state) {
        Objects.requireNonNull(state, "state");
        if (!(state.scale() > 0) || !Double.isFinite(state.scale()) || state.growthTracker() < 0
                || state.skippedSteps() < 0) {
            throw new IllegalArgumentException("invalid loss scaler state: " + state);
        }
        if (enabled) {
            scale = state.scale();
            growthTracker = state.growthTracker();
        }
        skippedSteps = state.skippedSteps();
        consecutiveSkips = 0;
    }

    /**
     * The state for a checkpoint group: {@value #SCALE} (FLOAT64 [1]), {@value #GROWTH_TRACKER} and
     * {@value #SKIPPED_STEPS} (INT64 [1]).
     *
     * @param manager owner of the new arrays
     * @return name to array
     */
    public Map<String, NDArray> exportState(NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(SCALE, manager.create(new double[] {scale}, new Shape(1)));
        out.put(GROWTH_TRACKER, manager.create(new long[] {growthTracker}, new Shape(1)));
        out.put(SKIPPED_STEPS, manager.create(new long[] {skippedSteps}, new Shape(1)));
        return out;
    }

    /**
     * Restores a state written by {@link #exportState(NDManager)}.
     *
     * @param state name to array
     * @throws IllegalArgumentException naming a missing or invalid entry
     */
    public void loadState(Map<String, NDArray> state) {
        Objects.requireNonNull(state, "state");
        double s = entry(state, SCALE).toType(DataType.FLOAT64, false).toDoubleArray()[0];
        long tracker = entry(state, GROWTH_TRACKER).toType(DataType.INT64, false).toLongArray()[0];
        long skipped = entry(state, SKIPPED_STEPS).toType(DataType.INT64, false).toLongArray()[0];
        restore(new State(s, (int) Math.min(tracker, Integer.MAX_VALUE), skipped));
    }

    private static NDArray entry(Map<String, NDArray> state, String key) {
        NDArray a = state.get(key);
        if (a == null || a.size() != 1) {
            throw new IllegalArgumentException("loss scaler state lacks a one-element '" + key + "' entry");
        }
        return a;
    }

    @Override
    public String toString() {
        return "DynamicLossScaler{scale=" + scale + ", growthTracker=" + growthTracker + ", skipped=" + skippedSteps
                + (enabled ? "" : ", disabled") + "}";
    }

    /**
     * Checkpointable values of a scaler.
     *
     * @param scale the loss scale
     * @param growthTracker clean steps since the last change of scale
     * @param skippedSteps steps skipped so far
     */
    public record State(double scale, int growthTracker, long skippedSteps) {
    }

    /** Builder of {@link DynamicLossScaler}; defaults as {@code torch.cuda.amp.GradScaler}. */
    public static final class Builder {
        private double initScale = 65536.0;
        private double growthFactor = 2.0;
        private double backoffFactor = 0.5;
        private int growthInterval = 2000;

        private Builder() {
        }

        /**
         * Sets the initial scale (default 2^16), finite and > 0.
         *
         * @param initScale the loss scale of the first step
         * @return this builder
         */
        public Builder optInitScale(double initScale) {
            if (!(initScale > 0) || !Double.isFinite(initScale)) {
                throw new IllegalArgumentException("initial loss scale must be finite and > 0, got " + initScale);
            }
            this.initScale = initScale;
            return this;
        }

        /**
         * Sets the growth factor (default 2), > 1.
         *
         * @param growthFactor factor the scale is multiplied by after a full growth interval of clean steps
         * @return this builder
         */
        public Builder optGrowthFactor(double growthFactor) {
            if (!(growthFactor > 1)) {
                throw new IllegalArgumentException("growth factor must be > 1, got " + growthFactor);
            }
            this.growthFactor = growthFactor;
            return this;
        }

        /**
         * Sets the backoff factor (default 0.5), in (0, 1).
         *
         * @param backoffFactor factor the scale is multiplied by after a step with Inf/NaN gradients
         * @return this builder
         */
        public Builder optBackoffFactor(double backoffFactor) {
            if (!(backoffFactor > 0 && backoffFactor < 1)) {
                throw new IllegalArgumentException("backoff factor must be in (0, 1), got " + backoffFactor);
            }
            this.backoffFactor = backoffFactor;
            return this;
        }

        /**
         * Sets the number of clean steps before the scale grows (default 2000), > 0.
         *
         * @param growthInterval number of consecutive clean steps before the scale grows
         * @return this builder
         */
        public Builder optGrowthInterval(int growthInterval) {
            if (growthInterval <= 0) {
                throw new IllegalArgumentException("growth interval must be > 0, got " + growthInterval);
            }
            this.growthInterval = growthInterval;
            return this;
        }

        /**
         * Builds an enabled scaler.
         *
         * @return a new scaler at the initial scale with no steps recorded
         */
        public DynamicLossScaler build() {
            return new DynamicLossScaler(true, initScale, growthFactor, backoffFactor, growthInterval);
        }
    }
}
