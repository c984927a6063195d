package org.jepa4j.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.model.Linear;
import org.jepa4j.core.model.Module;

/** A linear classifier on pooled features: {@code logits = x W^T + b}; parameters {@code linear.weight/bias}. */
public final class LinearProbe implements Module {

    private final Linear linear;
    private final int numClasses;

    /**
     * Creates the probe (trunc-normal std 0.02 weight, zero bias).
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param width feature width D
     * @param numClasses number of classes
     */
    public LinearProbe(NDManager manager, Random random, int width, int numClasses) {
        if (width < 1 || numClasses < 1) {
            throw new IllegalArgumentException("LinearProbe needs width and numClasses >= 1, got " + width + " and "
                    + numClasses);
        }
        this.linear = new Linear(manager, random, width, numClasses, true);
        this.numClasses = numClasses;
    }

    /**
     * Classifies pooled features.
     *
     * @param pooled {@code [B, D]}
     * @return logits {@code [B, numClasses]}
     */
    public NDArray forward(NDArray pooled) {
        return linear.forward(pooled);
    }

    /**
     * Returns the number of classes.
     *
     * @return the number of classes
     */
    public int numClasses() {
        return numClasses;
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        linear.collectParameters(prefix + "linear.", out);
    }
}
