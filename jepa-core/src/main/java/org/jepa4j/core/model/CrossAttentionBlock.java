package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import org.jepa4j.core.tensor.Scalars;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;

/**
 * Cross-attention block of the V-JEPA 2 attentive pooler: {@code q = q + xattn(q, norm1(x))}, then
 * {@code q = q + mlp(norm2(q))}. Only the key/value input is layer-normed; the queries enter raw and are the
 * residual. The cross-attention has a query projection {@code xattn.q}, a fused key/value projection
 * {@code xattn.kv} ({@code [2D, D]}, rows k then v) and no output projection.
 */
public final class CrossAttentionBlock implements Module {

    private final LayerNorm norm1;
    private final Linear q;
    private final Linear kv;
    private final LayerNorm norm2;
    private final Mlp mlp;
    private final int numHeads;
    private final int headDim;
    private final float scale;

    /**
     * Creates the block.
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param width token width
     * @param numHeads attention heads
     * @param mlpHidden MLP hidden width
     * @param qkvBias whether q and kv have biases
     * @param eps LayerNorm epsilon
     */
    public CrossAttentionBlock(NDManager manager, Random random, int width, int numHeads, int mlpHidden,
            boolean qkvBias, float eps) {
        if (width % numHeads != 0) {
            throw new IllegalArgumentException("width " + width + " is not divisible by numHeads " + numHeads);
        }
        this.numHeads = numHeads;
        this.headDim = width / numHeads;
        this.scale = (float) Math.pow(headDim, -0.5);
        norm1 = new LayerNorm(manager, width, eps);
        q = new Linear(manager, random, width, width, qkvBias);
        kv = new Linear(manager, random, width, 2 * width, qkvBias);
        norm2 = new LayerNorm(manager, width, eps);
        mlp = new Mlp(manager, random, width, mlpHidden);
    }

    /**
     * Attends the queries to the tokens.
     *
     * @param queries {@code [B, Q, D]}
     * @param x tokens {@code [B, N, D]}
     * @return {@code [B, Q, D]}
     */
    public NDArray forward(NDArray queries, NDArray x) {
        Shape qs = queries.getShape();
        long b = qs.get(0);
        long nq = qs.get(1);
        long d = qs.get(2);
        long n = x.getShape().get(1);
        NDArray qh = q.forward(queries).reshape(b, nq, numHeads, headDim).transpose(0, 2, 1, 3); // [B, H, Q, hd]
        NDArray kvh = kv.forward(norm1.forward(x)) // [B, N, 2D]
                .reshape(b, n, 2, numHeads, headDim)
                .transpose(2, 0, 3, 1, 4); // [2, B, H, N, hd]
        NDArray weights = qh.mul(Scalars.like(qh, scale)).matMul(kvh.get(0).transpose(0, 1, 3, 2)).softmax(3); // [B, H, Q, N]
        NDArray y = weights.matMul(kvh.get(1)) // [B, H, Q, hd]
                .transpose(0, 2, 1, 3)
                .reshape(b, nq, d); // [B, Q, D]
        NDArray out = queries.add(y);
        return out.add(mlp.forward(norm2.forward(out)));
    }

    /** Divides mlp.fc2.weight by {@code sqrt(2 * layer)} in place. */
    void rescale(int layer) {
        float f = (float) (1.0 / Math.sqrt(2.0 * layer));
        try (NDArray m = mlp.fc2().weight().mul(f)) {
            m.copyTo(mlp.fc2().weight());
        }
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        norm1.collectParameters(prefix + "norm1.", out);
        q.collectParameters(prefix + "xattn.q.", out);
        kv.collectParameters(prefix + "xattn.kv.", out);
        norm2.collectParameters(prefix + "norm2.", out);
        mlp.collectParameters(prefix + "mlp.", out);
    }
}
