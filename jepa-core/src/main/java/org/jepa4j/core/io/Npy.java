package org.jepa4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files of float32 and int64 arrays, in pure Java.
 *
 * <p><b>Writing</b> produces format version 1.0, little-endian {@code '<f4'} / {@code '<i8'}, C order, byte for
 * byte what {@code numpy.save} (NumPy 1.24 or later) writes: the magic {@code \x93NUMPY}, version {@code 1 0}, a
 * little-endian uint16 header length, then the header dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}, followed by NumPy's spare spaces for the
 * first dimension to grow (21 characters minus the digits of that dimension) and space padding so that magic,
 * length and header end on a multiple of 64 bytes with a final newline. Files are written to a temporary file
 * in the same folder and renamed into place, so a reader never sees a half-written array.
 *
 * <p><b>Reading</b> accepts versions 1.0, 2.0 and 3.0, C order, and the descriptors {@code <f4}, {@code >f4},
 * {@code <i8}, {@code >i8}; anything else (another dtype, Fortran order, truncated data) raises an
 * {@link NpyException} naming the file and the problem. Arrays are limited to {@code Integer.MAX_VALUE} elements.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int CHUNK = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * Writes a float32 array ({@code '<f4'}) atomically.
     *
     * @param file the destination; replaced only once the new file is complete
     * @param data the values in C order
     * @param shape the dimensions (none for a scalar); their product must be {@code data.length}
     * @throws IOException if writing fails (the previous file, if any, is then left untouched)
     * @throws IllegalArgumentException if the shape does not match the data
     */
    public static void writeFloats(Path file, float[] data, long... shape) throws IOException {
        checkCount(data.length, shape);
        write(file, DType.F32, shape, data.length, (buf, from, to) -> {
            buf.asFloatBuffer().put(data, from, to - from);
            buf.position(buf.position() + (to - from) * 4);
        });
    }

    /**
     * Writes an int64 array ({@code '<i8'}) atomically.
     *
     * @param file the destination; replaced only once the new file is complete
     * @param data the values in C order
     * @param shape the dimensions (none for a scalar); their product must be {@code data.length}
     * @throws IOException if writing fails (the previous file, if any, is then left untouched)
     * @throws IllegalArgumentException if the shape does not match the data
     */
    public static void writeLongs(Path file, long[] data, long... shape) throws IOException {
        checkCount(data.length, shape);
        write(file, DType.I64, shape, data.length, (buf, from, to) -> {
            buf.asLongBuffer().put(data, from, to - from);
            buf.position(buf.position() + (to - from) * 8);
        });
    }

    /**
     * Writes a FLOAT32 or INT64 NDArray atomically (copied to Java first, from any device).
     *
     * @param file the destination
     * @param array the array
     * @throws IOException if writing fails
     * @throws IllegalArgumentException for another data type
     */
    public static void write(Path file, NDArray array) throws IOException {
        long[] shape = array.getShape().getShape();
        if (array.getDataType() == DataType.FLOAT32) {
            writeFloats(file, array.toFloatArray(), shape);
        } else if (array.getDataType() == DataType.INT64) {
            writeLongs(file, array.toLongArray(), shape);
        } else {
            throw new IllegalArgumentException("npy writing supports FLOAT32 and INT64 arrays, got "
                    + array.getDataType() + " for " + file);
        }
    }

    /**
     * Reads a whole {@code .npy} file.
     *
     * @param file the file
     * @return its dtype, shape and values
     * @throws NpyException if the file is malformed or holds an unsupported array
     * @throws IOException if the file cannot be read
     */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer pre = readExactly(ch, file, 0, 12, "the magic string and header length");
            byte[] magic = new byte[6];
            pre.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new NpyException(file, "missing the \\x93NUMPY magic string (not a .npy file)");
            }
            int major = pre.get() & 0xff;
            int minor = pre.get() & 0xff;
            long headerLen;
            long headerStart;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xffff;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                headerLen = pre.getInt(8) & 0xffffffffL;
                headerStart = 12;
            } else {
                throw new NpyException(file, "unsupported format version " + major + "." + minor);
            }
            if (headerStart + headerLen > fileSize) {
                throw new NpyException(file, "header length " + headerLen + " runs past the end of the file ("
                        + fileSize + " bytes)");
            }
            ByteBuffer hb = readExactly(ch, file, headerStart, (int) headerLen, "the header");
            byte[] hbytes = new byte[(int) headerLen];
            hb.get(hbytes);
            String header = new String(hbytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Header h = parseHeader(file, header);
            long n = numElements(h.shape);
            if (n > Integer.MAX_VALUE) {
                throw new NpyException(file, "array of " + n + " elements is too large to read into Java");
            }
            long dataStart = headerStart + headerLen;
            long bytes = n * h.dtype.byteSize();
            if (fileSize - dataStart != bytes) {
                throw new NpyException(file, "shape " + Arrays.toString(h.shape) + " of " + h.descr + " needs "
                        + bytes + " data bytes, the file has " + (fileSize - dataStart));
            }
            if (h.dtype == DType.F32) {
                float[] out = new float[(int) n];
                readChunks(ch, file, dataStart, (int) n, 4, h.order, (buf, from, count) -> buf.asFloatBuffer().get(out, from, count));
                return new NpyArray(DType.F32, h.shape, out, null);
            }
            long[] out = new long[(int) n];
            readChunks(ch, file, dataStart, (int) n, 8, h.order, (buf, from, count) -> buf.asLongBuffer().get(out, from, count));
            return new NpyArray(DType.I64, h.shape, null, out);
        }
    }

    /**
     * Reads a {@code .npy} file into an NDArray (FLOAT32 or INT64).
     *
     * @param file the file
     * @param manager owner of the new array
     * @return the array
     * @throws IOException if the file is malformed, unsupported or unreadable
     */
    public static NDArray load(Path file, NDManager manager) throws IOException {
        NpyArray a = read(file);
        Shape shape = new Shape(a.shape());
        return a.dtype() == DType.F32 ? manager.create(a.floats(), shape) : manager.create(a.longs(), shape);
    }

    /**
     * The complete header (magic, version 1.0, length, dict, padding, newline) {@link #writeFloats} and
     * {@link #writeLongs} put before the data; its length is a multiple of 64.
     *
     * @param dtype {@link DType#F32} or {@link DType#I64}
     * @param shape the dimensions
     * @return the header bytes
     */
    static byte[] header(DType dtype, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(descr(dtype))
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        if (shape.length > 0) {
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length())));
        }
        int hlen = dict.length() + 1; // + newline
        int pad = ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ALIGN);
        dict.append(" ".repeat(pad)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (text.length > 0xffff) {
            throw new IllegalArgumentException("npy header too long for format 1.0: " + text.length + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return out.array();
    }

    static long numElements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static String descr(DType dtype) {
        return switch (dtype) {
            case F32 -> "<f4";
            case I64 -> "<i8";
            default -> throw new IllegalArgumentException("npy writing supports F32 and I64, got " + dtype);
        };
    }

    private static void checkCount(int length, long[] shape) {
        long n = numElements(shape);
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + length);
        }
    }

    private record Header(String descr, DType dtype, ByteOrder order, long[] shape) {}

    private static Header parseHeader(Path file, String text) throws NpyException {
        String t = text.strip();
        if (!t.startsWith("{") || !t.endsWith("}")) {
            throw new NpyException(file, "header is not a dict literal: " + abbreviate(text));
        }
        Matcher d = DESCR.matcher(t);
        Matcher f = FORTRAN.matcher(t);
        Matcher s = SHAPE.matcher(t);
        if (!d.find() || !f.find() || !s.find()) {
            throw new NpyException(file, "header lacks 'descr', 'fortran_order' or 'shape': " + abbreviate(text));
        }
        String descr = d.group(1);
        DType dtype;
        ByteOrder order;
        switch (descr) {
            case "<f4" -> { dtype = DType.F32; order = ByteOrder.LITTLE_ENDIAN; }
            case ">f4" -> { dtype = DType.F32; order = ByteOrder.BIG_ENDIAN; }
            case "<i8" -> { dtype = DType.I64; order = ByteOrder.LITTLE_ENDIAN; }
            case ">i8" -> { dtype = DType.I64; order = ByteOrder.BIG_ENDIAN; }
            default -> throw new NpyException(file, "unsupported dtype '" + descr
                    + "' (supported: <f4, >f4, <i8, >i8)");
        }
        if (f.group(1).equals("True")) {
            throw new NpyException(file, "Fortran-order arrays are not supported");
        }
        String dims = s.group(1).strip();
        long[] shape;
        if (dims.isEmpty()) {
            shape = new long[0];
        } else {
            String[] parts = dims.split(",");
            int count = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
            shape = new long[count];
            for (int i = 0; i < count; i++) {
                try {
                    shape[i] = Long.parseLong(parts[i].strip().replace("L", ""));
                } catch (NumberFormatException e) {
                    throw new NpyException(file, "bad shape (" + dims + ")");
                }
                if (shape[i] < 0) {
                    throw new NpyException(file, "negative dimension in shape (" + dims + ")");
                }
            }
        }
        try {
            numElements(shape);
        } catch (ArithmeticException e) {
            throw new NpyException(file, "shape (" + dims + ") overflows");
        }
        return new Header(descr, dtype, order, shape);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    @FunctionalInterface
    private interface ChunkWriter {
        void put(ByteBuffer buf, int from, int to);
    }

    @FunctionalInterface
    private interface ChunkReader {
        void get(ByteBuffer buf, int from, int count);
    }

    private static void write(Path file, DType dtype, long[] shape, int count, ChunkWriter values) throws IOException {
        byte[] header = header(dtype, shape);
        try {
            AtomicFiles.write(file, ch -> {
                AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
                int width = dtype.byteSize();
                int perChunk = CHUNK / width;
                ByteBuffer buf = ByteBuffer.allocate(Math.min(count, perChunk) * width).order(ByteOrder.LITTLE_ENDIAN);
                for (int from = 0; from < count; from += perChunk) {
                    int to = Math.min(count, from + perChunk);
                    buf.clear();
                    values.put(buf, from, to);
                    buf.flip();
                    AtomicFiles.writeFully(ch, buf);
                }
            });
        } catch (AtomicMoveNotSupportedException e) {
            throw new NpyException(file, "the file system cannot rename atomically");
        }
    }

    private static void readChunks(FileChannel ch, Path file, long start, int count, int width, ByteOrder order,
            ChunkReader sink) throws IOException {
        int perChunk = CHUNK / width;
        for (int from = 0; from < count; from += perChunk) {
            int n = Math.min(perChunk, count - from);
            ByteBuffer buf = readExactly(ch, file, start + (long) from * width, n * width, "the data").order(order);
            sink.get(buf, from, n);
        }
    }

    private static ByteBuffer readExactly(FileChannel ch, Path file, long position, int length, String what)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position + buf.position());
            if (r < 0) {
                throw new NpyException(file, "file ends inside " + what);
            }
        }
        return buf.flip();
    }
}
