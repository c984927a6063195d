package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/** Layer normalization over the last axis with learned scale (init 1) and shift (init 0). */
public final class LayerNorm implements Module {

    private final NDArray weight;
    private final NDArray bias;
    private final float eps;
    private final Shape normalizedShape;

    /**
     * Creates the layer.
     *
     * @param manager owner of the parameters
     * @param width size of the last axis
     * @param eps epsilon added to the variance
     */
    public LayerNorm(NDManager manager, int width, float eps) {
        weight = Init.constant(manager, 1f, width);
        bias = Init.constant(manager, 0f, width);
        this.eps = eps;
        normalizedShape = new Shape(width);
    }

    /**
     * Normalizes the last axis.
     *
     * @param x input {@code [..., width]}
     * @return normalized, scaled and shifted input of the same shape
     */
    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalizedShape, weight, bias, eps).singletonOrThrow();
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        out.put(prefix + "weight", weight);
        out.put(prefix + "bias", bias);
    }
}
