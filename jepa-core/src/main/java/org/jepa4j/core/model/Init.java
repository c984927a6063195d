package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.jepa4j.core.tensor.ParameterType;

/**
 * Creates parameter arrays with the reference initializations (gradient on) and fixed buffers, in the
 * {@link ParameterType#current() current parameter type}; values are always drawn in float32 first.
 */
final class Init {

    /** Reference weight std (trunc-normal, cut at +-2 absolute as timm's trunc_normal_). */
    static final double STD = 0.02;

    private Init() {}

    /** Returns a trainable array drawn from a normal(0, std) truncated to [-2, 2]. */
    static NDArray truncNormal(NDManager manager, Random random, double std, long... shape) {
        int n = Math.toIntExact(new Shape(shape).size());
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            double v;
            do {
                v = random.nextGaussian() * std;
            } while (v < -2.0 || v > 2.0);
            data[i] = (float) v;
        }
        return param(manager.create(data, new Shape(shape)));
    }

    /** Returns a trainable array filled with {@code value}. */
    static NDArray constant(NDManager manager, float value, long... shape) {
        float[] data = new float[Math.toIntExact(new Shape(shape).size())];
        Arrays.fill(data, value);
        return param(manager.create(data, new Shape(shape)));
    }

    /** Returns a constant buffer (no gradient) holding {@code data}, in the current parameter type. */
    static NDArray buffer(NDManager manager, float[] data, Shape shape) {
        return inCurrentType(manager.create(data, shape));
    }

    private static NDArray param(NDArray array) {
        NDArray typed = inCurrentType(array);
        typed.setRequiresGradient(true);
        return typed;
    }

    private static NDArray inCurrentType(NDArray float32) {
        DataType type = ParameterType.current();
        if (type == DataType.FLOAT32) {
            return float32;
        }
        NDArray typed = float32.toType(type, false);
        float32.close();
        return typed;
    }
}
