package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;

/** Creates parameter arrays with the reference initializations (float32, gradient on). */
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

    private static NDArray param(NDArray array) {
        array.setRequiresGradient(true);
        return array;
    }
}
