package org.jepa4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open safetensors file whose header has been validated; tensors are read lazily, one positional read each
 * (thread-safe). Obtain it from {@link SafeTensors#open(Path)} and close it when done; arrays already loaded stay
 * valid after closing.
 *
 * <p>F16 and BF16 tensors are widened to float32 in Java, so {@link #load} never creates a half or bfloat16
 * NDArray. Loaded arrays own libtorch memory (not Java direct buffers), so loading needs only one tensor's worth of
 * Java direct memory at a time.
 */
public final class SafeTensorsReader implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final SafeTensorsHeader header;
    private final Map<String, TensorInfo> byName;

    private SafeTensorsReader(Path file, FileChannel channel, SafeTensorsHeader header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        Map<String, TensorInfo> map = new LinkedHashMap<>();
        for (TensorInfo t : header.tensors) {
            map.put(t.name(), t);
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    static SafeTensorsReader open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SafeTensorsReader(file, channel, SafeTensorsHeader.read(file, channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The file this reader reads.
     *
     * @return the path given to {@link SafeTensors#open(Path)}
     */
    public Path path() {
        return file;
    }

    /**
     * Tensor names in the order their bytes appear in the file (the order they were written in).
     *
     * @return an unmodifiable ordered list of names
     */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * Whether the file holds a tensor of that name.
     *
     * @param name a tensor name
     * @return true if present
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * The header entry of one tensor.
     *
     * @param name a tensor name
     * @return its dtype, shape and offsets
     * @throws IllegalArgumentException if there is no such tensor (the message names the file)
     */
    public TensorInfo info(String name) {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("safetensors file " + file + " has no tensor '" + name + "' ("
                    + byName.size() + " tensors)");
        }
        return t;
    }

    /**
     * All header entries, in file order.
     *
     * @return an unmodifiable list
     */
    public List<TensorInfo> infos() {
        return header.tensors;
    }

    /**
     * The {@code __metadata__} object of the header.
     *
     * @return an unmodifiable map (empty if the file has none)
     */
    public Map<String, String> metadata() {
        return header.metadata;
    }

    /**
     * The raw bytes of a tensor as stored (little-endian, the file's dtype).
     *
     * @param name a tensor name
     * @return a new little-endian heap buffer positioned at 0
     * @throws IOException on a read error or a file truncated since opening
     */
    public ByteBuffer readBytes(String name) throws IOException {
        return readRaw(info(name));
    }

    /**
     * Reads a floating-point tensor (F32, F16, BF16 or F64, the last rounded to float) into Java.
     *
     * @param name a tensor name
     * @return the elements in row-major order
     * @throws IOException on a read error
     * @throws IllegalArgumentException if the tensor is not floating-point
     */
    public float[] readFloats(String name) throws IOException {
        TensorInfo t = info(name);
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException("tensor '" + name + "' in " + file + " is " + t.dtype()
                    + ", not floating-point");
        }
        return TensorBytes.floats(t.dtype(), readRaw(t), elementCount(t));
    }

    /**
     * Reads an integer or boolean tensor (BOOL, U8, I8, I16, U16, I32, U32, I64) into Java, widened to long
     * (unsigned types read as non-negative).
     *
     * @param name a tensor name
     * @return the elements in row-major order
     * @throws IOException on a read error
     * @throws IllegalArgumentException if the tensor is not of an integral type (U64 is refused: it may not fit)
     */
    public long[] readLongs(String name) throws IOException {
        TensorInfo t = info(name);
        if (!t.dtype().isIntegral()) {
            throw new IllegalArgumentException("tensor '" + name + "' in " + file + " is " + t.dtype()
                    + ", not an integer type readable as long");
        }
        ByteBuffer raw = readRaw(t);
        long[] out = new long[elementCount(t)];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (t.dtype()) {
                case BOOL, U8 -> raw.get(i) & 0xFFL;
                case I8 -> raw.get(i);
                case I16 -> raw.getShort(2 * i);
                case U16 -> raw.getShort(2 * i) & 0xFFFFL;
                case I32 -> raw.getInt(4 * i);
                case U32 -> raw.getInt(4 * i) & 0xFFFFFFFFL;
                case I64 -> raw.getLong(8 * i);
                default -> throw new AssertionError(t.dtype());
            };
        }
        return out;
    }

    /**
     * Loads one tensor as an NDArray owned by {@code manager}, named after the tensor. F16 and BF16 become
     * FLOAT32 (widened in Java); F32, F64, I64, I32, I8, U8 and BOOL keep their type.
     *
     * @param name a tensor name
     * @param manager the owner of the new array
     * @return the array
     * @throws IOException on a read error, or if the dtype has no DJL equivalent (I16, U16, U32, U64, F8)
     */
    public NDArray load(String name, NDManager manager) throws IOException {
        TensorInfo t = info(name);
        DataType target = t.dtype().loadedAs();
        if (target == null) {
            throw new SafeTensorsException(file, "tensor '" + name + "' has dtype " + t.dtype()
                    + ", which cannot be loaded as an NDArray (use readBytes or readLongs)");
        }
        NDArray array = TensorBytes.toNDArray(t.dtype(), t.shape(), readRaw(t), manager);
        array.setName(name);
        return array;
    }

    /**
     * Loads every tensor, in file order.
     *
     * @param manager the owner of the new arrays
     * @return an ordered map from name to array
     * @throws IOException on a read error or a tensor that cannot be loaded
     */
    public Map<String, NDArray> loadAll(NDManager manager) throws IOException {
        return TensorBytes.loadAll(byName.keySet(), name -> load(name, manager));
    }

    /** Closes the file; arrays already loaded stay valid. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafeTensorsReader[" + file + ", " + byName.size() + " tensors]";
    }

    private int elementCount(TensorInfo t) throws SafeTensorsException {
        long n = t.numElements();
        if (n > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(file, "tensor '" + t.name() + "' has " + n
                    + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    private ByteBuffer readRaw(TensorInfo t) throws IOException {
        long size = t.byteSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(file, "tensor '" + t.name() + "' is " + size
                    + " bytes, more than one buffer holds (2 GiB)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        SafeTensorsHeader.readFully(file, channel, buf, header.dataStart + t.begin());
        buf.flip();
        return buf.order(ByteOrder.LITTLE_ENDIAN);
    }
}
