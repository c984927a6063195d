package org.jepa4j.core.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for differentiable arithmetic.
 *
 * <p>Use {@code x.mul(Scalars.like(x, 0.5))} instead of {@code x.mul(0.5f)} wherever the result may be
 * differentiated: the scalar array belongs to {@code x}'s manager (and to the current {@code NDScope}, if any), so
 * it outlives the backward pass that reads it. See the package documentation for why DJL's {@code Number}
 * overloads are unsafe there.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * A 0-d array holding {@code value}, with the data type and manager of {@code like}.
     *
     * @param like the array the scalar will be combined with
     * @param value the value
     * @return a 0-d array owned by {@code like}'s manager
     */
    public static NDArray like(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
}
