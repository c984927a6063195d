package org.jepa4j.core.io;

import ai.djl.ndarray.NDArray;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Entry point for safetensors files: {@link #open(Path)} to read, {@code write} to save NDArrays or Java-side
 * {@link TensorData} atomically.
 */
public final class SafeTensors {

    private SafeTensors() {
    }

    /**
     * Opens a safetensors file and validates its header (lengths, JSON, dtypes, offsets) before returning.
     *
     * @param file the file
     * @return a reader, to be closed
     * @throws SafeTensorsException if the file is malformed; the message names the file and the problem
     * @throws IOException if the file cannot be read
     */
    public static SafeTensorsReader open(Path file) throws IOException {
        return SafeTensorsReader.open(file);
    }

    /**
     * Writes NDArrays to a safetensors file atomically, in the map's order. The array's DJL type decides the
     * dtype: FLOAT32 to F32, FLOAT16 to F16, FLOAT64 to F64, INT64 to I64, INT32 to I32, INT8 to I8, UINT8 to U8,
     * BOOLEAN to BOOL. Arrays on any device are copied to Java first.
     *
     * @param file the destination; replaced only once the new file is complete and synced
     * @param tensors name to array, in the order to write
     * @param metadata the {@code __metadata__} strings (may be empty or {@code null})
     * @throws IOException if writing fails; the previous file, if any, is then left untouched
     * @throws IllegalArgumentException for an array type safetensors cannot hold (e.g. BFLOAT16)
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        // one tensor's bytes in Java memory at a time: a multi-GB checkpoint needs no multi-GB heap
        List<Entry> entries = new ArrayList<>(tensors.size());
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            DType dtype = dtypeOf(e.getKey(), a);
            long[] shape = a.getShape().getShape();
            long size = Math.multiplyExact(a.getShape().size(), (long) dtype.byteSize());
            entries.add(new Entry(e.getKey(), dtype, shape, size, () -> littleEndianBytes(a, dtype)));
        }
        writeEntries(file, entries, metadata);
    }

    /**
     * Writes Java-side tensors to a safetensors file atomically, in the map's order (usable without DJL).
     *
     * @param file the destination; replaced only once the new file is complete and synced
     * @param tensors name to tensor, in the order to write
     * @param metadata the {@code __metadata__} strings (may be empty or {@code null})
     * @throws IOException if writing fails; the previous file, if any, is then left untouched
     */
    public static void writeData(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        List<Entry> entries = new ArrayList<>(tensors.size());
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            entries.add(new Entry(e.getKey(), t.dtype(), t.shape(), t.data().remaining(), t::data));
        }
        writeEntries(file, entries, metadata);
    }

    /** One tensor to write: its header fields and a supplier of its little-endian bytes. */
    private record Entry(String name, DType dtype, long[] shape, long size, Supplier<ByteBuffer> bytes) {
    }

    private static void writeEntries(Path file, List<Entry> entries, Map<String, String> metadata)
            throws IOException {
        byte[] header = headerBytes(entries, metadata);
        try {
            AtomicFiles.write(file, ch -> {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                AtomicFiles.writeFully(ch, len.flip());
                AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
                for (Entry e : entries) {
                    ByteBuffer bytes = e.bytes.get();
                    if (bytes.remaining() != e.size) {
                        throw new SafeTensorsException(file, "tensor '" + e.name + "' produced " + bytes.remaining()
                                + " bytes, its header says " + e.size + " (changed while writing?)");
                    }
                    AtomicFiles.writeFully(ch, bytes);
                }
            });
        } catch (AtomicMoveNotSupportedException e) {
            throw new SafeTensorsException(file, "the file system cannot rename atomically", e);
        }
    }

    /**
     * Copies an NDArray to Java memory as little-endian bytes.
     *
     * @param name the tensor name, for error messages
     * @param array the array
     * @return its type, shape and bytes
     * @throws IllegalArgumentException if safetensors has no dtype for the array's type
     */
    public static TensorData toTensorData(String name, NDArray array) {
        DType dtype = dtypeOf(name, array);
        return new TensorData(dtype, array.getShape().getShape(), littleEndianBytes(array, dtype));
    }

    private static DType dtypeOf(String name, NDArray array) {
        try {
            return DType.fromDjl(array.getDataType());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    private static ByteBuffer littleEndianBytes(NDArray array, DType dtype) {
        ByteBuffer bytes = array.toByteBuffer(); // native order, contiguous
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN && dtype.byteSize() > 1) {
            bytes = swapToLittleEndian(bytes, dtype.byteSize());
        }
        return bytes;
    }

    /** Header JSON padded with spaces so that 8 + its length is a multiple of 8 (as the Rust writer does). */
    private static byte[] headerBytes(List<Entry> entries, Map<String, String> metadata) throws IOException {
        StringWriter sw = new StringWriter();
        try (JsonWriter w = new JsonWriter(sw)) {
            w.setHtmlSafe(false);
            w.beginObject();
            if (metadata != null && !metadata.isEmpty()) {
                w.name(SafeTensorsHeader.METADATA_KEY).beginObject();
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    w.name(e.getKey()).value(e.getValue());
                }
                w.endObject();
            }
            long offset = 0;
            for (Entry e : entries) {
                if (SafeTensorsHeader.METADATA_KEY.equals(e.name)) {
                    throw new IllegalArgumentException("a tensor cannot be named " + SafeTensorsHeader.METADATA_KEY);
                }
                long size = e.size;
                w.name(e.name).beginObject();
                w.name("dtype").value(e.dtype.name());
                w.name("shape").beginArray();
                for (long d : e.shape) {
                    w.value(d);
                }
                w.endArray();
                w.name("data_offsets").beginArray().value(offset).value(offset + size).endArray();
                w.endObject();
                offset += size;
            }
            w.endObject();
        }
        byte[] json = sw.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static ByteBuffer swapToLittleEndian(ByteBuffer in, int width) {
        ByteBuffer src = in.duplicate();
        ByteBuffer out = ByteBuffer.allocate(src.remaining());
        byte[] tmp = new byte[width];
        while (src.hasRemaining()) {
            src.get(tmp);
            for (int i = width - 1; i >= 0; i--) {
                out.put(tmp[i]);
            }
        }
        return out.flip();
    }
}
