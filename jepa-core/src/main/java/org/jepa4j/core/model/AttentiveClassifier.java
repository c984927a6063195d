package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Random;

/**
 * Attentive probe classifier (V-JEPA 2): an {@link AttentivePooler} with one query, then a Linear layer.
 * Parameter names: {@code pooler.*} and {@code linear.weight/bias}, as in the V-JEPA 2 evaluation checkpoints.
 */
public final class AttentiveClassifier implements Module {

    private final AttentivePooler pooler;
    private final Linear linear;
    private final int numClasses;

    /**
     * Creates the probe.
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param width encoder width
     * @param numHeads attention heads of the pooler
     * @param selfAttentionBlocks self-attention blocks before the cross-attention (V-JEPA 2: 3)
     * @param numClasses number of classes
     * @param eps LayerNorm epsilon
     */
    public AttentiveClassifier(NDManager manager, Random random, int width, int numHeads, int selfAttentionBlocks,
            int numClasses, float eps) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("numClasses must be > 0, got " + numClasses);
        }
        this.numClasses = numClasses;
        pooler = new AttentivePooler(manager, random, width, numHeads, selfAttentionBlocks, 1, 4.0, true, eps);
        linear = new Linear(manager, random, width, numClasses, true);
    }

    /**
     * Classifies encoder features.
     *
     * @param features {@code [B, N, D]}
     * @return logits {@code [B, numClasses]}
     */
    public NDArray forward(NDArray features) {
        NDArray pooled = pooler.forward(features).squeeze(1); // [B, D]
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
        pooler.collectParameters(prefix + "pooler.", out);
        linear.collectParameters(prefix + "linear.", out);
    }
}
