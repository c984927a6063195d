package org.jepa4j.core.io;

import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param name the tensor name, e.g. {@code blocks.0.attn.qkv.weight}
 * @param dtype the element type in the file
 * @param shape the dimensions (empty for a scalar); the accessor returns a copy
 * @param begin start of the tensor's bytes, relative to the data section
 * @param end end (exclusive) of the tensor's bytes, relative to the data section
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    /**
     * Validates and copies the shape.
     *
     * @param name the tensor name
     * @param dtype the element type
     * @param shape the dimensions
     * @param begin start offset
     * @param end end offset (exclusive)
     */
    public TensorInfo {
        shape = shape.clone();
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
     * Number of elements: the product of the shape (1 for a scalar).
     *
     * @return the element count
     */
    public long numElements() {
        return TensorBytes.elementCount(shape);
    }

    /**
     * Bytes the tensor occupies in the file.
     *
     * @return {@code end - begin}
     */
    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + dtype.hashCode()) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
