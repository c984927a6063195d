package org.jepa4j.core.tensor;

import ai.djl.ndarray.types.DataType;

/**
 * The data type in which modules created on the current thread hold their parameters and fixed buffers, for the
 * duration of a {@code try} block: the equivalent of building a PyTorch module under
 * {@code torch.set_default_dtype}. Outside any block it is {@link DataType#FLOAT32}.
 *
 * <pre>{@code
 * try (ParameterType ignored = ParameterType.use(DataType.FLOAT16)) {
 *     encoder16 = new VisionTransformer(config, manager, seed); // fp16 parameters, same draws as fp32
 * }
 * }</pre>
 *
 * <p>Initial values are drawn in float32 exactly as usual and then rounded, so an fp16 module built from a seed
 * holds the rounded values of the fp32 module built from the same seed (the depth-rescaled {@code attn.proj} and
 * {@code mlp.fc2} weights are rescaled after rounding: within one fp16 ulp). To start from exactly rounded fp32
 * values, copy an fp32 module's parameters in (as mixed-precision master weights do). Modules compute in the type of their
 * parameters: pixel inputs stay float32 and are cast to it in the patch embedding, position tables and RoPE tables
 * follow it. Only FLOAT32 and FLOAT16 are accepted: the PyTorch engine of DJL aborts the JVM on bfloat16.
 */
public final class ParameterType implements AutoCloseable {

    private static final ThreadLocal<DataType> CURRENT = ThreadLocal.withInitial(() -> DataType.FLOAT32);

    private final DataType previous;

    private ParameterType(DataType previous) {
        this.previous = previous;
    }

    /**
     * Makes modules created on this thread hold {@code type} parameters until the returned guard is closed.
     *
     * @param type FLOAT32 or FLOAT16
     * @return the guard restoring the previous type when closed
     * @throws IllegalArgumentException for any other type (bfloat16 is named explicitly)
     */
    public static ParameterType use(DataType type) {
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
            throw new IllegalArgumentException("Parameter type must be FLOAT32 or FLOAT16, got " + type
                    + (type == DataType.BFLOAT16 ? " (DJL's PyTorch engine aborts the JVM on bfloat16 tensors)" : ""));
        }
        ParameterType guard = new ParameterType(CURRENT.get());
        CURRENT.set(type);
        return guard;
    }

    /**
     * Returns the type new parameters get on this thread.
     *
     * @return FLOAT32 outside any {@link #use(DataType)} block
     */
    public static DataType current() {
        return CURRENT.get();
    }

    /** Restores the type in force when {@link #use(DataType)} was called. */
    @Override
    public void close() {
        CURRENT.set(previous);
    }
}
