package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import org.jepa4j.core.tensor.Scalars;
import org.jepa4j.core.tensor.TorchScriptModules;

/**
 * {@code softmax(q k^T / sqrt(headDim)) v} through libtorch's fused {@code scaled_dot_product_attention} (the
 * flash-attention CPU kernel: no [N, N] score tensors kept for the backward, strided inputs read in place).
 *
 * <p>DJL exposes no binding for that operator, but it runs TorchScript modules with autograd. This class writes a
 * one-method TorchScript archive in memory (its source is the single call below), loads it once per JVM and calls
 * it. Where that is impossible (another engine, a libtorch without the operator, or the system property
 * {@code jepa4j.attention=matmul}), the same function is computed as matmul, softmax, matmul.
 */
final class ScaledDotProductAttention {

    /** System property choosing the kernel: {@code sdpa} (default) or {@code matmul}. */
    static final String PROPERTY = "jepa4j.attention";

    private static final String SOURCE = "class Sdpa(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + "  def forward(self: __torch__.Sdpa, q: Tensor, k: Tensor, v: Tensor) -> Tensor:\n"
            + "    return torch.scaled_dot_product_attention(q, k, v)\n";

    private static final String MASKED_SOURCE = "class SdpaMasked(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + "  def forward(self: __torch__.SdpaMasked, q: Tensor, k: Tensor, v: Tensor, m: Tensor) -> Tensor:\n"
            + "    return torch.scaled_dot_product_attention(q, k, v, m)\n";

    private static volatile PtSymbolBlock module;
    private static volatile boolean resolved;
    private static volatile PtSymbolBlock maskedModule;
    private static volatile boolean maskedResolved;

    private ScaledDotProductAttention() {}

    /**
     * Attends queries to keys; the scale is {@code 1 / sqrt(headDim)}.
     *
     * @param q queries {@code [B, H, Nq, hd]} (last axis with stride 1; other strides free)
     * @param k keys {@code [B, H, Nk, hd]}
     * @param v values {@code [B, H, Nk, hd]}
     * @return {@code [B, H, Nq, hd]}, owned by the manager of {@code q}; with the fused kernel its memory is laid
     *     out as {@code [B, Nq, H, hd]}, so {@code transpose(1, 2)} followed by a reshape is free
     */
    static NDArray apply(NDArray q, NDArray k, NDArray v) {
        PtSymbolBlock m = module();
        if (m != null && q instanceof PtNDArray && k instanceof PtNDArray && v instanceof PtNDArray) {
            // isTrain = true: leave the caller's grad mode alone (false would force no-grad)
            return IValueUtils.forward(m, new NDList(q, k, v), true).singletonOrThrow();
        }
        float scale = (float) (1.0 / Math.sqrt(q.getShape().get(3)));
        return q.mul(Scalars.like(q, scale)).matMul(k.transpose(0, 1, 3, 2)).softmax(3).matMul(v); // [B, H, Nq, hd]
    }

    /**
     * Attends queries to the keys an additive mask allows; the scale is {@code 1 / sqrt(headDim)}.
     *
     * @param q queries {@code [B, H, Nq, hd]}
     * @param k keys {@code [B, H, Nk, hd]}
     * @param v values {@code [B, H, Nk, hd]}
     * @param mask additive mask {@code [Nq, Nk]} of the queries' type (0 = may attend, -inf = may not), or null
     * @return {@code [B, H, Nq, hd]}, owned by the manager of {@code q}
     */
    static NDArray apply(NDArray q, NDArray k, NDArray v, NDArray mask) {
        if (mask == null) {
            return apply(q, k, v);
        }
        PtSymbolBlock m = maskedModule();
        if (m != null && q instanceof PtNDArray && k instanceof PtNDArray && v instanceof PtNDArray
                && mask instanceof PtNDArray) {
            return IValueUtils.forward(m, new NDList(q, k, v, mask), true).singletonOrThrow();
        }
        float scale = (float) (1.0 / Math.sqrt(q.getShape().get(3)));
        return q.mul(Scalars.like(q, scale)).matMul(k.transpose(0, 1, 3, 2)).add(mask).softmax(3).matMul(v);
    }

    private static PtSymbolBlock maskedModule() {
        if (!maskedResolved) {
            synchronized (ScaledDotProductAttention.class) {
                if (!maskedResolved) {
                    maskedModule = "matmul".equalsIgnoreCase(System.getProperty(PROPERTY, "sdpa")) ? null
                            : TorchScriptModules.loadOrNull("SdpaMasked", MASKED_SOURCE,
                                    "Fused masked scaled_dot_product_attention (falling back to matmul-softmax-matmul)");
                    maskedResolved = true;
                }
            }
        }
        return maskedModule;
    }

    /** Returns whether the fused kernel is in use (false: matmul fallback). */
    static boolean isFused() {
        return module() != null;
    }

    private static PtSymbolBlock module() {
        if (!resolved) {
            synchronized (ScaledDotProductAttention.class) {
                if (!resolved) {
                    module = load();
                    resolved = true;
                }
            }
        }
        return module;
    }

    private static PtSymbolBlock load() {
        if ("matmul".equalsIgnoreCase(System.getProperty(PROPERTY, "sdpa"))) {
            return null;
        }
        return TorchScriptModules.loadOrNull("Sdpa", SOURCE, "Fused scaled_dot_product_attention (falling back to matmul-softmax-matmul)");
    }
}
