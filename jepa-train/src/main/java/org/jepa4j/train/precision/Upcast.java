package org.jepa4j.train.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Float32 islands in a float16 computation. DJL's {@code toType} is not differentiable, but an elementwise op
 * between a float16 array and a float32 array with at least one dimension yields float32 and is differentiable
 * (a 0-d float32 operand does not promote a float16 array: PyTorch's type promotion ignores 0-d tensors of the same
 * kind).
 *
 * <p>In JEPA training the loss is float32 without any explicit cast: float16 predictions minus float32 targets
 * promote (see {@code JepaLoss}). The targets must therefore be float32; a float16 target encoder's output is
 * converted with {@link #detached(NDArray)} before the target layer norm, which then runs in float32.
 */
public final class Upcast {

    private Upcast() {
    }

    /**
     * Float32 copy of an array that needs no gradient (e.g. target features); the array itself when already float32.
     *
     * @param x any floating array
     * @return float32 values, without autograd history
     */
    public static NDArray detached(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false); // toType records no graph
    }

    /**
     * Float32 version of {@code x} through which gradients flow back into {@code x} (adds a float32 zero of shape
     * [1]); the array itself when already float32. A 0-d input yields shape [1].
     *
     * @param x a float16 or float32 array, possibly on an autograd graph
     * @return float32 values, differentiable with respect to {@code x}, owned by x's manager
     */
    public static NDArray differentiable(NDArray x) {
        if (x.getDataType() == DataType.FLOAT32) {
            return x;
        }
        try (NDArray zero = x.getManager().zeros(new Shape(1), DataType.FLOAT32, x.getDevice())) {
            return x.add(zero);
        }
    }
}
