package org.jepa4j.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor held in Java memory, for writing safetensors files without DJL (and for tests).
 *
 * @param dtype the element type
 * @param shape the dimensions (empty for a scalar); the accessor returns a copy
 * @param data the raw little-endian bytes, exactly {@code product(shape) * dtype.byteSize()} of them between
 *     position and limit; the accessor returns a read-only little-endian view positioned at 0
 */
public record TensorData(DType dtype, long[] shape, ByteBuffer data) {

    /**
     * Validates that the byte count matches the shape and takes a private copy of the bytes.
     *
     * @param dtype the element type
     * @param shape the dimensions
     * @param data the bytes (from position to limit)
     * @throws IllegalArgumentException when the byte count does not match {@code shape} and {@code dtype}
     */
    public TensorData {
        if (dtype == null || shape == null || data == null) {
            throw new IllegalArgumentException("dtype, shape and data must not be null");
        }
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        long expected = Math.multiplyExact(n, (long) dtype.byteSize());
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + expected + " bytes, got " + data.remaining());
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate());
        copy.flip();
        data = copy.asReadOnlyBuffer();
    }

    /**
     * The dimensions.
     *
     * @return a copy of the shape
     */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * The bytes.
     *
     * @return a read-only little-endian view from position 0
     */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A float32 tensor.
     *
     * @param values the elements in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData ofFloats(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new TensorData(DType.F32, shape, b);
    }

    /**
     * A half-precision tensor, rounded from floats (nearest even).
     *
     * @param values the elements in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData ofHalfs(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(HalfFloats.floatToHalf(v));
        }
        b.flip();
        return new TensorData(DType.F16, shape, b);
    }

    /**
     * A bfloat16 tensor, rounded from floats (nearest even). It can be written and read back, never loaded as a
     * BFLOAT16 NDArray (reading widens it to float32).
     *
     * @param values the elements in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData ofBfloat16s(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(HalfFloats.floatToBfloat16(v));
        }
        b.flip();
        return new TensorData(DType.BF16, shape, b);
    }

    /**
     * An int64 tensor.
     *
     * @param values the elements in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData ofLongs(long[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new TensorData(DType.I64, shape, b);
    }

    /**
     * An int32 tensor.
     *
     * @param values the elements in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData ofInts(int[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return new TensorData(DType.I32, shape, b);
    }

    /**
     * A uint8 tensor.
     *
     * @param values the elements (bytes read as unsigned) in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData ofUnsignedBytes(byte[] values, long... shape) {
        return new TensorData(DType.U8, shape, ByteBuffer.wrap(values));
    }
}
