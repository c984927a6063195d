package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.Map;
import java.util.Random;

/** Transformer feed-forward: {@code fc2(GELU(fc1(x)))} with the exact (erf) GELU. */
public final class Mlp implements Module {

    private final Linear fc1;
    private final Linear fc2;

    /**
     * Creates the two layers.
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param width input and output width
     * @param hidden hidden width
     */
    public Mlp(NDManager manager, Random random, int width, int hidden) {
        fc1 = new Linear(manager, random, width, hidden, true);
        fc2 = new Linear(manager, random, hidden, width, true);
    }

    /**
     * Applies the feed-forward network.
     *
     * @param x input {@code [..., width]}
     * @return output {@code [..., width]}
     */
    public NDArray forward(NDArray x) {
        return fc2.forward(Activation.gelu(fc1.forward(x))); // [..., hidden] -> [..., width]
    }

    /** Returns the output layer (its weight is rescaled at init). */
    Linear fc2() {
        return fc2;
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        fc1.collectParameters(prefix + "fc1.", out);
        fc2.collectParameters(prefix + "fc2.", out);
    }
}
