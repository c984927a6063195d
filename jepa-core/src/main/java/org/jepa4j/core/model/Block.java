package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Pre-norm transformer block: {@code x + attn(norm1(x))}, then {@code x + mlp(norm2(x))}. */
public final class Block implements Module {

    private final LayerNorm norm1;
    private final Attention attn;
    private final LayerNorm norm2;
    private final Mlp mlp;

    /**
     * A stack of {@code depth} blocks with the reference initialization (block i's output projections divided by
     * {@code sqrt(2 i)}).
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param depth number of blocks
     * @param width token width
     * @param numHeads attention heads
     * @param mlpHidden MLP hidden width
     * @param qkvBias whether the qkv projection has a bias
     * @param eps LayerNorm epsilon
     * @return the blocks, unmodifiable
     */
    static List<Block> stack(NDManager manager, Random random, int depth, int width, int numHeads, int mlpHidden,
            boolean qkvBias, float eps) {
        List<Block> list = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            Block block = new Block(manager, random, width, numHeads, mlpHidden, qkvBias, eps);
            block.rescale(i + 1);
            list.add(block);
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * Creates the block with reference initialization; call {@link #rescale(int)} for the depth rescaling.
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param width token width
     * @param numHeads attention heads
     * @param mlpHidden MLP hidden width
     * @param qkvBias whether qkv has a bias
     * @param eps LayerNorm epsilon
     */
    public Block(NDManager manager, Random random, int width, int numHeads, int mlpHidden, boolean qkvBias,
            float eps) {
        norm1 = new LayerNorm(manager, width, eps);
        attn = new Attention(manager, random, width, numHeads, qkvBias);
        norm2 = new LayerNorm(manager, width, eps);
        mlp = new Mlp(manager, random, width, mlpHidden);
    }

    /**
     * Applies the block.
     *
     * @param x tokens {@code [B, N, D]}
     * @param rope rotary tables for the tokens, or null
     * @return {@code [B, N, D]}
     */
    public NDArray forward(NDArray x, Rope3D rope) {
        x = x.add(attn.forward(norm1.forward(x), rope));
        return x.add(mlp.forward(norm2.forward(x)));
    }

    /** Divides attn.proj.weight and mlp.fc2.weight by sqrt(2 * layer) (layer is 1-based), in place. */
    void rescale(int layer) {
        float f = (float) (1.0 / Math.sqrt(2.0 * layer));
        try (NDArray p = attn.proj().weight().mul(f); NDArray m = mlp.fc2().weight().mul(f)) {
            p.copyTo(attn.proj().weight());
            m.copyTo(mlp.fc2().weight());
        }
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        norm1.collectParameters(prefix + "norm1.", out);
        attn.collectParameters(prefix + "attn.", out);
        norm2.collectParameters(prefix + "norm2.", out);
        mlp.collectParameters(prefix + "mlp.", out);
    }
}
