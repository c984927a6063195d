package org.jepa4j.core.io;

import java.util.Arrays;

/**
 * An array read from a {@code .npy} file, held in Java memory: float32 ({@link DType#F32}) or int64
 * ({@link DType#I64}) values in C order.
 *
 * @param dtype {@link DType#F32} or {@link DType#I64}
 * @param shape the dimensions (empty for a scalar); the accessor returns a copy
 * @param floats the values of a float32 array (null for int64)
 * @param longs the values of an int64 array (null for float32)
 */
public record NpyArray(DType dtype, long[] shape, float[] floats, long[] longs) {

    /**
     * Validates that exactly the array matching {@code dtype} is present and that its length matches the shape.
     *
     * @throws IllegalArgumentException naming the mismatch
     */
    public NpyArray {
        if (dtype != DType.F32 && dtype != DType.I64) {
            throw new IllegalArgumentException("npy arrays here are F32 or I64, got " + dtype);
        }
        if ((dtype == DType.F32) != (floats != null) || (dtype == DType.I64) != (longs != null)) {
            throw new IllegalArgumentException("an " + dtype + " NpyArray needs exactly its own value array");
        }
        shape = shape.clone();
        long n = Npy.numElements(shape);
        long have = floats != null ? floats.length : longs.length;
        if (n != have) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + have);
        }
    }

    /** Returns a copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /**
     * Returns the number of elements.
     *
     * @return the number of elements
     */
    public long size() {
        return Npy.numElements(shape);
    }

    /**
     * Returns the float32 values (the live array, not a copy).
     *
     * @throws IllegalStateException if this is an int64 array
     */
    @Override
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("this npy array is " + dtype + ", not F32");
        }
        return floats;
    }

    /**
     * Returns the int64 values (the live array, not a copy).
     *
     * @throws IllegalStateException if this is a float32 array
     */
    @Override
    public long[] longs() {
        if (longs == null) {
            throw new IllegalStateException("this npy array is " + dtype + ", not I64");
        }
        return longs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && dtype == a.dtype && Arrays.equals(shape, a.shape)
                && Arrays.equals(floats, a.floats) && Arrays.equals(longs, a.longs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(floats) + Arrays.hashCode(longs);
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
