package org.jepa4j.train.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Float32 gradients divided by the loss scale, with the result of the overflow check and their global L2 norm,
 * produced by {@link DynamicLossScaler#unscale(Map)} in one fused pass. The arrays belong to this object: use them
 * (e.g. pass {@link #gradients()} to {@code AdamW.step}) before {@link #close()}.
 */
public final class UnscaledGradients implements AutoCloseable {

    private final Map<String, NDArray> gradients;
    private final double norm;
    private final float[] tensorNorms; // float32 L2 norm of each gradient, in the order of gradients
    private final NDManager manager;

    UnscaledGradients(Map<String, NDArray> gradients, double norm, float[] tensorNorms, NDManager manager) {
        if (tensorNorms.length != gradients.size()) {
            throw new IllegalArgumentException(tensorNorms.length + " norms for " + gradients.size() + " gradients");
        }
        this.gradients = Collections.unmodifiableMap(gradients);
        this.norm = norm;
        this.tensorNorms = tensorNorms;
        this.manager = manager;
    }

    /**
     * Un-scaled float32 gradients by parameter name (trainable parameters only), in parameter order.
     *
     * @return float32 gradients divided by the loss scale, each shaped like its parameter
     */
    public Map<String, NDArray> gradients() {
        return gradients;
    }

    /**
     * Whether every gradient element is finite (no Inf/NaN: the step may be applied).
     *
     * @return true when no gradient holds Inf or NaN
     */
    public boolean isFinite() {
        return Double.isFinite(norm);
    }

    /**
     * Global L2 norm of the un-scaled gradients, as {@code torch.nn.utils.clip_grad_norm_} reports it; NaN or
     * infinite when a gradient is (or when the squares overflow float32, which the check treats as an overflow).
     *
     * @return the global L2 norm of all un-scaled gradients (a non-negative float, or infinite/NaN on overflow)
     */
    public double norm() {
        return norm;
    }

    /**
     * Scales the gradients in place by {@code maxNorm / (norm + 1e-6)} when their norm exceeds {@code maxNorm}, as
     * {@code clip_grad_norm_}; non-finite gradients are left alone (the step is skipped anyway).
     *
     * @param maxNorm the largest allowed global norm; {@code <= 0} or NaN means no clipping
     * @return the factor applied (1 when nothing was clipped)
     */
    public double clip(double maxNorm) {
        if (!(maxNorm > 0) || !isFinite() || norm <= maxNorm) {
            return 1.0;
        }
        double factor = maxNorm / (norm + 1e-6);
        scaleInPlace(gradients.values(), factor);
        return factor;
    }

    /**
     * Clips each group of gradients by its own L2 norm, as the reference V-JEPA training calls
     * {@code clip_grad_norm_} once per network (encoder, then predictor): a group whose norm exceeds {@code maxNorm}
     * is scaled by {@code maxNorm / (groupNorm + 1e-6)}. Gradients outside every group are left alone, and so are
     * non-finite gradients (the step is skipped anyway).
     *
     * @param maxNorm the largest allowed norm of each group; {@code <= 0} or NaN means no clipping
     * @param prefixes name prefixes of the groups (a name belongs to the first prefix it starts with)
     * @return whether any group was scaled
     */
    public boolean clipEach(double maxNorm, List<String> prefixes) {
        if (!(maxNorm > 0) || !isFinite()) {
            return false;
        }
        boolean clipped = false;
        for (int i = 0; i < prefixes.size(); i++) {
            List<NDArray> group = new ArrayList<>();
            double sumSquares = 0;
            int k = 0;
            for (Map.Entry<String, NDArray> e : gradients.entrySet()) {
                if (groupOf(e.getKey(), prefixes) == i) {
                    group.add(e.getValue());
                    double v = tensorNorms[k]; // per-tensor float32 L2 norm, as clip_grad_norm_ (computed once)
                    sumSquares += v * v;
                }
                k++;
            }
            double groupNorm = Math.sqrt(sumSquares);
            if (!group.isEmpty() && groupNorm > maxNorm) {
                scaleInPlace(group, maxNorm / (groupNorm + 1e-6));
                clipped = true;
            }
        }
        return clipped;
    }

    /** Multiplies every gradient in place by {@code factor} (one scalar array per device, freed afterwards). */
    private static void scaleInPlace(Collection<NDArray> grads, double factor) {
        try (NDScope scope = new NDScope()) {
            NDArray f = null;
            for (NDArray g : grads) {
                if (f == null || !f.getDevice().equals(g.getDevice())) {
                    f = g.getManager().create(new float[] {(float) factor}, new Shape(1)).toDevice(g.getDevice(), false);
                }
                g.muli(f);
            }
        }
    }

    private static int groupOf(String name, List<String> prefixes) {
        for (int i = 0; i < prefixes.size(); i++) {
            if (name.startsWith(prefixes.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Returns whether the gradients are float32 (always true; for assertions). */
    boolean allFloat32() {
        return gradients.values().stream().allMatch(g -> g.getDataType() == DataType.FLOAT32);
    }

    /** Frees the float32 gradients (the parameters' own gradients are not touched). */
    @Override
    public void close() {
        manager.close();
    }
}
