package org.jepa4j.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import java.util.List;
import org.jepa4j.core.tensor.TorchScriptModules;

/**
 * libtorch's fused multi-tensor AdamW ({@code torch._fused_adamw_}, the kernel behind
 * {@code torch.optim.AdamW(fused=True)}): one pass over parameter, gradient and both moments per tensor instead of
 * about fourteen element-wise DJL ops, each a full read and write of the tensor (the update is memory-bound).
 *
 * <p>DJL has no binding for the operator, so this class writes a one-method TorchScript archive in memory (its source
 * is the single call below), loads it once per JVM and calls it with lists of tensors. Where that is impossible
 * (another engine, a libtorch without the operator, tensors not on the CPU, or the system property
 * {@code jepa4j.adamw=loop}), {@link #isAvailable} is false and {@link AdamW} runs its per-op loop.
 */
final class FusedAdamWKernel {

    /** System property choosing the update: {@code fused} (default) or {@code loop}. */
    static final String PROPERTY = "jepa4j.adamw";

    private static final String SOURCE = "class FusedAdamW(Module):\n"
            + "  __parameters__ = []\n"
            + "  __buffers__ = []\n"
            + "  training : bool\n"
            + "  def forward(self: __torch__.FusedAdamW, p: List[Tensor], g: List[Tensor], m: List[Tensor],"
            + " v: List[Tensor], steps: List[Tensor], lr: float, beta1: float, beta2: float, wd: float,"
            + " eps: float) -> Tensor:\n"
            + "    torch._fused_adamw_(p, g, m, v, annotate(List[Tensor], []), steps, lr=lr, beta1=beta1,"
            + " beta2=beta2, weight_decay=wd, eps=eps, amsgrad=False, maximize=False)\n"
            + "    return steps[0]\n";

    private static volatile PtSymbolBlock module;
    private static volatile boolean resolved;

    private FusedAdamWKernel() {}

    /** Whether the fused kernel can update these tensors: all float32 PtNDArrays on the CPU. */
    static boolean isAvailable(List<NDArray> tensors) {
        if (module() == null) {
            return false;
        }
        for (NDArray a : tensors) {
            if (!(a instanceof PtNDArray) || a.getDataType() != DataType.FLOAT32 || !Device.Type.CPU.equals(a.getDevice().getDeviceType())) {
                return false;
            }
        }
        return true;
    }

    /**
     * One AdamW update of a parameter group, in place, as {@code torch.optim.AdamW}: p *= 1 - lr wd; m, v updated;
     * p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps). Call with PyTorch grad mode off.
     *
     * @param group parameters, gradients and moments (parameters and moments updated in place)
     * @param step float32 scalar holding the 1-based step t (read, not incremented)
     */
    static void update(ParamGroup group, NDArray step, double lr, double beta1, double beta2, double weightDecay,
            double eps) {
        List<NDArray> params = group.params();
        if (params.isEmpty()) {
            return;
        }
        PtNDArray[] steps = new PtNDArray[params.size()];
        java.util.Arrays.fill(steps, (PtNDArray) step);
        IValue[] in = {list(params), list(group.grads()), list(group.expAvg()), list(group.expAvgSq()),
            IValue.listFrom(steps),
            IValue.from(lr), IValue.from(beta1), IValue.from(beta2), IValue.from(weightDecay), IValue.from(eps)};
        try {
            IValue out = IValueUtils.forward(module(), in);
            out.close();
        } finally {
            for (IValue v : in) {
                v.close();
            }
        }
    }

    private static IValue list(List<NDArray> arrays) {
        return IValue.listFrom(arrays.toArray(new PtNDArray[0]));
    }

    private static PtSymbolBlock module() {
        if (!resolved) {
            synchronized (FusedAdamWKernel.class) {
                if (!resolved) {
                    module = load();
                    resolved = true;
                }
            }
        }
        return module;
    }

    private static PtSymbolBlock load() {
        if ("loop".equalsIgnoreCase(System.getProperty(PROPERTY, "fused"))) {
            return null;
        }
        return TorchScriptModules.loadOrNull("FusedAdamW", SOURCE, "Fused AdamW (falling back to the per-op update)");
    }
}
