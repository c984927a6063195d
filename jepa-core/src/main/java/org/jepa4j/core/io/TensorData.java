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
        return encode(DType.F32, values.length, shape, (b, i) -> b.putFloat(values[i]));
    }

    /**
     * A half-precision tensor, rounded from floats (nearest even).
     *
     * @param values the elements in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData ofHalfs(float[] values, long... shape) {
        return encode(DType.F16, values.length, shape, (b, i) -> b.putShort(HalfFloats.floatToHalf(values[i])));
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
        return encode(DType.BF16, values.length, shape, (b, i) -> b.putShort(HalfFloats.floatToBfloat16(values[i])));
    }

    /**
     * An int64 tensor.
     *
     * @param values the elements in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData ofLongs(long[] values, long... shape) {
        return encode(DType.I64, values.length, shape, (b, i) -> b.putLong(values[i]));
    }

    /**
     * An int32 tensor.
     *
     * @param values the elements in row-major order
     * @param shape the dimensions
     * @return the tensor
     */
    public static TensorData ofInts(int[] values, long... shape) {
        return encode(DType.I32, values.length, shape, (b, i) -> b.putInt(values[i]));
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

    /**
     * The elements of a floating-point tensor as floats (F16 and BF16 widened exactly, F64 rounded).
     *
     * @return the elements in row-major order
     * @throws IllegalArgumentException if the dtype is not floating-point
     */
    public float[] toFloats() {
        return TensorBytes.floats(dtype, data, data.remaining() / dtype.byteSize());
    }

    /** Writes element {@code i} into a little-endian buffer at its current position. */
    private interface ElementWriter {
        void put(ByteBuffer buffer, int i);
    }

    private static TensorData encode(DType dtype, int count, long[] shape, ElementWriter writer) {
        ByteBuffer b = ByteBuffer.allocate(count * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            writer.put(b, i);
        }
        b.flip();
        return new TensorData(dtype, shape, b);
    }
}
