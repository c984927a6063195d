package org.jepa4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Conversions of raw little-endian tensor bytes shared by the safetensors and PyTorch readers: widening to float
 * (F16 and BF16 in Java, so DJL never holds a half or bfloat16 array) and copying into a libtorch-owned NDArray.
 */
final class TensorBytes {

    private TensorBytes() {
    }

    /**
     * Widens floating-point elements to float (F64 is rounded).
     *
     * @param dtype F32, F64, F16 or BF16
     * @param raw little-endian bytes from position 0
     * @param count number of elements
     * @return the elements
     */
    static float[] floats(DType dtype, ByteBuffer raw, int count) {
        ByteBuffer le = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        switch (dtype) {
            case F32 -> le.asFloatBuffer().get(out);
            case F64 -> {
                var d = le.asDoubleBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = (float) d.get(i);
                }
            }
            case F16 -> {
                var s = le.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloats.halfToFloat(s.get(i));
                }
            }
            case BF16 -> {
                var s = le.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloats.bfloat16ToFloat(s.get(i));
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not floating-point");
        }
        return out;
    }

    /**
     * Creates an NDArray from little-endian bytes: F16 and BF16 are widened to FLOAT32 first, other types keep
     * their DJL type ({@link DType#loadedAs()}, which must not be null).
     *
     * @param dtype the element type of the bytes
     * @param shape the dimensions
     * @param raw exactly {@code product(shape) * dtype.byteSize()} little-endian bytes from position 0
     * @param manager owner of the new array
     * @return a libtorch-owned array (no alias of a Java buffer on CPU)
     */
    static NDArray toNDArray(DType dtype, long[] shape, ByteBuffer raw, NDManager manager) {
        DataType target = dtype.loadedAs();
        ByteBuffer data;
        if (dtype == DType.F16 || dtype == DType.BF16) {
            float[] widened = floats(dtype, raw, raw.remaining() / 2);
            data = ByteBuffer.allocateDirect(widened.length * 4).order(ByteOrder.nativeOrder());
            data.asFloatBuffer().put(widened);
        } else {
            data = ByteBuffer.allocateDirect(raw.remaining()).order(ByteOrder.nativeOrder());
            ByteBuffer le = raw.duplicate();
            int width = dtype.byteSize();
            if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || width == 1) {
                data.put(le);
            } else {
                byte[] tmp = new byte[width];
                while (le.hasRemaining()) {
                    le.get(tmp);
                    for (int i = width - 1; i >= 0; i--) {
                        data.put(tmp[i]);
                    }
                }
            }
            data.flip();
        }
        // On CPU, DJL aliases a direct buffer (zero copy) and keeps it referenced from the array: Java direct memory,
        // capped by -XX:MaxDirectMemorySize (default: the heap size). Clone into libtorch-owned memory and drop the
        // alias so that a checkpoint larger than the Java heap still loads; the buffer is then freed by the GC.
        NDArray aliased = manager.create(data, new Shape(shape), target);
        if (aliased.getDevice().isGpu()) {
            return aliased; // already copied to the device
        }
        NDArray array = aliased.duplicate();
        aliased.close();
        return array;
    }

    /** Loads one named tensor. */
    interface Loader {
        NDArray load(String name) throws IOException;
    }

    /**
     * Loads several tensors in order; on failure the arrays already loaded are closed before rethrowing.
     *
     * @param names the tensors, in order
     * @param loader loads one of them
     * @return name to array
     * @throws IOException from the loader
     */
    static Map<String, NDArray> loadAll(Iterable<String> names, Loader loader) throws IOException {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try {
            for (String name : names) {
                out.put(name, loader.load(name));
            }
        } catch (IOException | RuntimeException e) {
            out.values().forEach(NDArray::close);
            throw e;
        }
        return out;
    }

    /**
     * Number of elements of a shape.
     *
     * @param shape the dimensions
     * @return their product (1 for a scalar)
     * @throws ArithmeticException on overflow
     */
    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
