package org.jepa4j.core.target;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import java.util.Collection;
import org.jepa4j.core.tensor.TorchScriptModules;

/**
 * The EMA update {@code t = (t - c) * m + c} over all parameters in three libtorch multi-tensor calls
 * ({@code torch._foreach_sub_}, {@code _foreach_mul_}, {@code _foreach_add_}) instead of three DJL calls per
 * parameter: the same element-wise kernels in the same order, so the result is bit for bit that of
 * {@link EmaUpdater}'s per-parameter loop, with one native call instead of about 450 for a ViT-S.
 *
 * <p>DJL has no binding for the {@code _foreach_*} operators; as {@code FusedAdamWKernel} does for AdamW, this class
 * loads a one-method in-memory TorchScript module once per JVM ({@link TorchScriptModules}). Where that is impossible
 * (another engine) or the system property {@code jepa4j.ema=loop} is set, {@link #isAvailable} is false and the
 * loop runs. The ops are device-neutral (the multi-tensor path on a GPU, a per-tensor loop inside libtorch on the CPU).
 */
final class ForeachEmaKernel {

    /** System property choosing the update: {@code foreach} (default) or {@code loop}. */
    static final String PROPERTY = "jepa4j.ema";

    private static final String SOURCE = "class ForeachEma(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + "  def forward(self: __torch__.ForeachEma, t: List[Tensor], c: List[Tensor], m: float) -> Tensor:\n"
            + "    torch._foreach_sub_(t, c)\n"
            + "    torch._foreach_mul_(t, m)\n"
            + "    torch._foreach_add_(t, c)\n"
            + "    return t[0]\n";

    private static volatile PtSymbolBlock module;
    private static volatile boolean resolved;

    private ForeachEmaKernel() {}

    /** Whether the kernel is loaded and every array is a PyTorch-engine array. */
    static boolean isAvailable(Collection<NDArray> arrays) {
        if (module() == null) {
            return false;
        }
        for (NDArray a : arrays) {
            if (!(a instanceof PtNDArray)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code t = (t - c) * m + c} in place on every target, with autograd off (the caller's {@link NoGrad}).
     *
     * @param target target arrays, updated in place
     * @param online online arrays, same order and shapes
     * @param momentum m, applied as a float32 scalar as the loop's 0-d float32 array
     */
    static void update(Collection<NDArray> target, Collection<NDArray> online, double momentum) {
        IValue[] in = {IValue.listFrom(target.toArray(new PtNDArray[0])),
            IValue.listFrom(online.toArray(new PtNDArray[0])), IValue.from((double) (float) momentum)};
        try {
            IValueUtils.forward(module(), in).close();
        } finally {
            for (IValue v : in) {
                v.close();
            }
        }
    }

    private static PtSymbolBlock module() {
        if (!resolved) {
            synchronized (ForeachEmaKernel.class) {
                if (!resolved) {
                    module = "loop".equalsIgnoreCase(System.getProperty(PROPERTY, "foreach")) ? null
                            : TorchScriptModules.loadOrNull("ForeachEma", SOURCE,
                                    "Multi-tensor EMA (falling back to the per-parameter loop)");
                    resolved = true;
                }
            }
        }
        return module;
    }
}
