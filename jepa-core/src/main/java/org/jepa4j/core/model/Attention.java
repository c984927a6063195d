package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;

/**
 * Multi-head self-attention with one fused {@code qkv} projection ({@code [3D, D]}, rows ordered q, k, v),
 * optional 3D rotary embedding of queries and keys ({@link Rope3D#rotateQueriesAndKeys}), and an output projection {@code proj}. The attention itself
 * ({@code softmax(q k^T / sqrt(hd)) v}) runs in libtorch's fused kernel ({@link ScaledDotProductAttention}).
 */
public final class Attention implements Module {

    private final Linear qkv;
    private final Linear proj;
    private final int numHeads;
    private final int headDim;

    /**
     * Creates the projections.
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param width token width D
     * @param numHeads number of heads (dividing D)
     * @param qkvBias whether qkv has a bias
     */
    public Attention(NDManager manager, Random random, int width, int numHeads, boolean qkvBias) {
        if (width % numHeads != 0) {
            throw new IllegalArgumentException("width " + width + " is not divisible by numHeads " + numHeads);
        }
        this.numHeads = numHeads;
        this.headDim = width / numHeads;
        qkv = new Linear(manager, random, width, 3 * width, qkvBias);
        proj = new Linear(manager, random, width, width, true);
    }

    /**
     * Attends every token to every token.
     *
     * @param x tokens {@code [B, N, D]}
     * @param rope rotary tables for the tokens' ids, or null for no rotation
     * @return {@code [B, N, D]}
     */
    public NDArray forward(NDArray x, Rope3D rope) {
        return forward(x, rope, null);
    }

    /**
     * Attends every token to the tokens an additive mask allows (block-causal attention of the action-conditioned
     * predictor).
     *
     * @param x tokens {@code [B, N, D]}
     * @param rope rotary tables for the tokens, or null for no rotation
     * @param attnMask additive float mask {@code [N, N]} (0 where query i may attend key j, -inf elsewhere; every row
     *     allows at least one key), or null for full attention
     * @return {@code [B, N, D]}
     */
    public NDArray forward(NDArray x, Rope3D rope, NDArray attnMask) {
        NDList qkvHeads = queriesKeysValues(x, rope); // 3 x [B, H, N, hd]
        // fused softmax(q k^T * scale) v
        NDArray heads = ScaledDotProductAttention.apply(qkvHeads.get(0), qkvHeads.get(1), qkvHeads.get(2),
                attnMask); // [B, H, N, hd]
        return project(heads, x.getShape());
    }

    /**
     * Attends new tokens over cached keys and values and their own (incremental decoding of a block-causal model:
     * the new tokens may see every earlier token and each other, so no mask is needed). The new tokens' keys and
     * values are appended to the cache.
     *
     * @param x new tokens {@code [B, n, D]}
     * @param rope rotary tables of the n new tokens, or null for no rotation
     * @param cache this layer's cache (empty for the first call)
     * @return {@code [B, n, D]}
     */
    public NDArray forwardCached(NDArray x, Rope3D rope, KeyValueCache cache) {
        NDList qkvHeads = queriesKeysValues(x, rope); // 3 x [B, H, n, hd]
        NDArray[] kv = cache.append(qkvHeads.get(1), qkvHeads.get(2)); // [B, H, n_total, hd] each
        NDArray heads = ScaledDotProductAttention.apply(qkvHeads.get(0), kv[0], kv[1]); // [B, H, n, hd]
        return project(heads, x.getShape());
    }

    /** Queries, keys and values of the tokens {@code [B, N, D]}, per head and rotated by RoPE if any. */
    private NDList queriesKeysValues(NDArray x, Rope3D rope) {
        Shape s = x.getShape();
        long b = s.get(0);
        long n = s.get(1);
        NDArray qkvHeads = qkv.forward(x) // [B, N, 3D]
                .reshape(b, n, 3, numHeads, headDim)
                .transpose(2, 0, 3, 1, 4); // [3, B, H, N, hd], a view
        // split (not slicing): its backward concatenates instead of zero-filling and accumulating
        NDList split = rope == null ? qkvHeads.split(3, 0) : rope.rotateQueriesAndKeys(qkvHeads);
        NDList out = new NDList(3);
        for (NDArray part : split) { // [1, B, H, N, hd] -> [B, H, N, hd]: dropping the axis of size 1 is a view
            out.add(part.reshape(b, numHeads, n, headDim));
        }
        return out;
    }

    /** Merges the heads {@code [B, H, N, hd]} back into tokens of the input's shape and projects them. */
    private NDArray project(NDArray heads, Shape input) {
        NDArray out = heads.transpose(0, 2, 1, 3).reshape(input); // [B, N, D]
        return proj.forward(out);
    }

    /** Returns the output projection (its weight is rescaled at init). */
    Linear proj() {
        return proj;
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        qkv.collectParameters(prefix + "qkv.", out);
        proj.collectParameters(prefix + "proj.", out);
    }
}
