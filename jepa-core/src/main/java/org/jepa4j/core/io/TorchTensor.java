package org.jepa4j.core.io;

import java.util.Arrays;

/**
 * A tensor found in a PyTorch checkpoint, before its bytes are read: which storage record holds it and how it views
 * that storage (offset, shape and strides in elements, as {@code torch._utils._rebuild_tensor_v2} receives them).
 * Read it with {@link TorchCheckpoint#read(TorchTensor)} or {@link TorchCheckpoint#load}.
 *
 * @param storageKey the storage record name ({@code <prefix>/data/<key>} in the archive)
 * @param dtype the element type of the storage
 * @param storageElements number of elements in the storage
 * @param storageOffset first element of this tensor in the storage
 * @param shape the dimensions (empty for a scalar); the accessor returns a copy
 * @param stride elements to skip per step along each dimension; the accessor returns a copy
 */
public record TorchTensor(String storageKey, DType dtype, long storageElements, long storageOffset, long[] shape,
        long[] stride) {

    /**
     * Copies the arrays.
     *
     * @param storageKey the storage record
     * @param dtype the element type
     * @param storageElements elements in the storage
     * @param storageOffset first element
     * @param shape the dimensions
     * @param stride the strides
     */
    public TorchTensor {
        shape = shape.clone();
        stride = stride.clone();
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
     * The strides, in elements.
     *
     * @return a copy
     */
    @Override
    public long[] stride() {
        return stride.clone();
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
     * Whether the elements are laid out row-major without gaps (then one slice of the storage is the tensor).
     *
     * @return true for contiguous strides
     */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorchTensor t && storageKey.equals(t.storageKey) && dtype == t.dtype
                && storageElements == t.storageElements && storageOffset == t.storageOffset
                && Arrays.equals(shape, t.shape) && Arrays.equals(stride, t.stride);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * storageKey.hashCode() + Arrays.hashCode(shape)) + Long.hashCode(storageOffset);
    }

    @Override
    public String toString() {
        return "TorchTensor[" + dtype + Arrays.toString(shape) + " stride " + Arrays.toString(stride) + " at "
                + storageOffset + " of storage '" + storageKey + "']";
    }
}
