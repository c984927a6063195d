package org.jepa4j.train.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Clipping of gradients by their global L2 norm, as {@code torch.nn.utils.clip_grad_norm_} (DJL's
 * {@code optClipGrad} only clamps each element from above, so it is not used).
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /**
     * Scales all gradients by {@code maxNorm / (norm + 1e-6)} when their global norm exceeds {@code maxNorm}.
     * A non-finite norm leaves the gradients untouched (the caller should skip the step).
     *
     * @param params named parameters (trainable ones are clipped)
     * @param maxNorm the largest allowed global norm (> 0)
     * @return the global norm before clipping
     */
    public static double clipByGlobalNorm(Map<String, NDArray> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double norm = Gradients.globalNorm(params);
        if (Double.isFinite(norm) && norm > maxNorm) {
            Gradients.scale(params, maxNorm / (norm + 1e-6));
        }
        return norm;
    }
}
