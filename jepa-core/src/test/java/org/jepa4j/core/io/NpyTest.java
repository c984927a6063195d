package org.jepa4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    /** The header numpy 2.4 {@code np.save} writes: dict, then spaces (growth room + padding; counted from its output), newline. */
    private static byte[] numpyHeader(String dict, int spaces) {
        String text = dict + " ".repeat(spaces) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    @Test
    void headerBytesMatchNumpySave() {
        // python3 -c "import numpy as np, io; b=io.BytesIO(); np.save(b, np.zeros((2,3),np.float32)); print(b.getvalue()[:128])"
        byte[] f23 = numpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 58);
        byte[] i5 = numpyHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }", 60);
        byte[] scalar = numpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 62);
        byte[] empty = numpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", 58);
        assertEquals(128, f23.length);
        assertEquals(0x76, f23[8]); // header length 118 as numpy writes it
        assertArrayEquals(f23, Npy.header(DType.F32, new long[] {2, 3}));
        assertArrayEquals(i5, Npy.header(DType.I64, new long[] {5}));
        assertArrayEquals(scalar, Npy.header(DType.F32, new long[0]));
        assertArrayEquals(empty, Npy.header(DType.F32, new long[] {0, 4}));
    }

    @Test
    void headersAreAlignedTo64WithFinalNewline() {
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            long[] shape = new long[r.nextInt(6)];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = (long) Math.pow(10, r.nextInt(12)) + r.nextInt(7);
            }
            byte[] h = Npy.header(i % 2 == 0 ? DType.F32 : DType.I64, shape);
            assertEquals(0, h.length % 64, Arrays.toString(shape));
            assertEquals('\n', h[h.length - 1]);
            int len = (h[8] & 0xff) | (h[9] & 0xff) << 8;
            assertEquals(h.length - 10, len);
        }
    }

    @Test
    void fileIsHeaderThenLittleEndianData() throws IOException {
        Path f = dir.resolve("a.npy");
        Npy.writeFloats(f, new float[] {1f, -2.5f, 3f, 0f, 1e-7f, 7f}, 2, 3);
        byte[] all = Files.readAllBytes(f);
        byte[] header = Npy.header(DType.F32, new long[] {2, 3});
        assertArrayEquals(header, Arrays.copyOf(all, header.length));
        assertEquals(header.length + 24, all.length);
        ByteBuffer data = ByteBuffer.wrap(all, header.length, 24).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-2.5f, data.getFloat(header.length + 4));
    }

    @Test
    void floatAndLongRoundTrips() throws IOException {
        Random r = new Random(1);
        float[] f = new float[3 * 4 * 5];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        f[7] = Float.NaN;
        f[8] = Float.NEGATIVE_INFINITY;
        Npy.writeFloats(dir.resolve("f.npy"), f, 3, 4, 5);
        NpyArray a = Npy.read(dir.resolve("f.npy"));
        assertEquals(DType.F32, a.dtype());
        assertArrayEquals(new long[] {3, 4, 5}, a.shape());
        assertArrayEquals(f, a.floats());

        long[] l = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        Npy.writeLongs(dir.resolve("l.npy"), l, 5);
        NpyArray b = Npy.read(dir.resolve("l.npy"));
        assertEquals(DType.I64, b.dtype());
        assertArrayEquals(new long[] {5}, b.shape());
        assertArrayEquals(l, b.longs());

        Npy.writeFloats(dir.resolve("s.npy"), new float[] {42f});
        assertArrayEquals(new float[] {42f}, Npy.read(dir.resolve("s.npy")).floats());
        assertEquals(0, Npy.read(dir.resolve("s.npy")).shape().length);
        Npy.writeFloats(dir.resolve("e.npy"), new float[0], 0, 4);
        assertArrayEquals(new long[] {0, 4}, Npy.read(dir.resolve("e.npy")).shape());
    }

    @Test
    void largeArraySpanningSeveralChunks() throws IOException {
        float[] f = new float[700_001];
        for (int i = 0; i < f.length; i++) {
            f[i] = i * 0.5f;
        }
        Npy.writeFloats(dir.resolve("big.npy"), f, 700_001);
        assertArrayEquals(f, Npy.read(dir.resolve("big.npy")).floats());
    }

    @Test
    void ndArrayRoundTrip() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 4));
            Npy.write(dir.resolve("x.npy"), x);
            NDArray y = Npy.load(dir.resolve("x.npy"), m);
            assertEquals(x.getShape(), y.getShape());
            assertArrayEquals(x.toFloatArray(), y.toFloatArray());
            NDArray ids = m.arange(0, 10, 1, DataType.INT64).reshape(2, 5);
            Npy.write(dir.resolve("ids.npy"), ids);
            NDArray back = Npy.load(dir.resolve("ids.npy"), m);
            assertEquals(DataType.INT64, back.getDataType());
            assertArrayEquals(ids.toLongArray(), back.toLongArray());
            assertThrows(IllegalArgumentException.class,
                    () -> Npy.write(dir.resolve("bad.npy"), m.ones(new Shape(2), DataType.INT32)));
        }
    }

    @Test
    void readsOtherWritersLayouts() throws IOException {
        // version 2.0 header, minimal padding, no trailing comma, big-endian data
        String dict = "{'shape': (2,), 'fortran_order': False, 'descr': '>i8'}";
        int len = dict.length() + 1;
        int pad = 64 - ((12 + len) % 64);
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(12 + text.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(text.length).put(text);
        b.order(ByteOrder.BIG_ENDIAN).putLong(7).putLong(-9);
        Files.write(dir.resolve("v2.npy"), b.array());
        assertArrayEquals(new long[] {7, -9}, Npy.read(dir.resolve("v2.npy")).longs());
    }

    @Test
    void rejectsMalformedFilesNamingThem() throws IOException {
        Path good = dir.resolve("g.npy");
        Npy.writeFloats(good, new float[] {1, 2, 3, 4}, 4);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
        NpyException e = assertThrows(NpyException.class, () -> Npy.read(truncated));
        assertTrue(e.getMessage().contains("truncated.npy") && e.getMessage().contains("16 data bytes"), e.getMessage());

        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "hello, this is not numpy at all");
        assertTrue(assertThrows(NpyException.class, () -> Npy.read(notNpy)).getMessage().contains("magic"));

        Path fortran = dir.resolve("fortran.npy");
        Files.write(fortran, new String(bytes, StandardCharsets.ISO_8859_1).replace("False", "True ")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(NpyException.class, () -> Npy.read(fortran)).getMessage().contains("Fortran"));

        Path f8 = dir.resolve("f8.npy");
        Files.write(f8, new String(bytes, StandardCharsets.ISO_8859_1).replace("<f4", "<f8")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(NpyException.class, () -> Npy.read(f8)).getMessage().contains("'<f8'"));

        assertThrows(IllegalArgumentException.class, () -> Npy.writeFloats(dir.resolve("x.npy"), new float[5], 2, 3));
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("w.npy");
        Npy.writeFloats(f, new float[] {1}, 1);
        Npy.writeFloats(f, new float[] {1, 2}, 2);
        assertArrayEquals(new float[] {1, 2}, Npy.read(f).floats());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }
}
