package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Random;

/** Affine map {@code y = x W^T + b} with the weight stored {@code [out, in]} as in PyTorch. */
public final class Linear implements Module {

    private final NDArray weight;
    private final NDArray bias;

    /**
     * Creates a layer with a trunc-normal (std 0.02) weight and a zero bias.
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param in input width
     * @param out output width
     * @param withBias whether the layer has a bias
     */
    public Linear(NDManager manager, Random random, int in, int out, boolean withBias) {
        weight = Init.truncNormal(manager, random, Init.STD, out, in);
        bias = withBias ? Init.constant(manager, 0f, out) : null;
    }

    /**
     * Applies the layer to the last axis.
     *
     * @param x input {@code [..., in]}
     * @return output {@code [..., out]}
     */
    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * Returns the live weight {@code [out, in]}.
     *
     * @return the live weight {@code [out, in]}
     */
    public NDArray weight() {
        return weight;
    }

    /**
     * Returns the live bias {@code [out]}, or null.
     *
     * @return the live bias {@code [out]}, or null
     */
    public NDArray bias() {
        return bias;
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        out.put(prefix + "weight", weight);
        if (bias != null) {
            out.put(prefix + "bias", bias);
        }
    }
}
