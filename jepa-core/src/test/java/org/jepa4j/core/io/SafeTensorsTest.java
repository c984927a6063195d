package org.jepa4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips, the Hugging Face fixtures, hand-built half-precision files, corrupt files and atomic writes. */
class SafeTensorsTest {

    private static final Path HF = Path.of("src/test/resources/hf");

    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void roundTripsEveryNdArrayType() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            Map<String, NDArray> in = new LinkedHashMap<>();
            in.put("f32", m.create(new float[] {1.5f, -2.25f, 3e-8f, 7f, 0f, -0f}, new Shape(2, 3)));
            in.put("f16", m.create(new float[] {1f, 0.1f, -65504f, 6e-5f}, new Shape(4)).toType(DataType.FLOAT16,
                    false));
            in.put("f64", m.create(new double[] {Math.PI, -1e300}, new Shape(2, 1)));
            in.put("i64", m.create(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, new Shape(2, 2)));
            in.put("i32", m.create(new int[] {Integer.MIN_VALUE, 5, Integer.MAX_VALUE}, new Shape(3)));
            in.put("u8", m.create(ByteBuffer.wrap(new byte[] {0, 127, (byte) 200, (byte) 255}), new Shape(4),
                    DataType.UINT8));
            in.put("i8", m.create(new byte[] {-128, 0, 127}, new Shape(3)));
            in.put("bool", m.create(new boolean[] {true, false, true}, new Shape(3)));
            in.put("scalar", m.create(42f));
            in.put("empty", m.create(new Shape(0, 4), DataType.FLOAT32));
            Path f = dir.resolve("all.safetensors");
            SafeTensors.write(f, in, Map.of("format", "pt", "note", "<héllo> \"quoted\""));

            try (SafeTensorsReader r = SafeTensors.open(f)) {
                assertEquals(List.copyOf(in.keySet()), r.names());
                assertEquals(Map.of("format", "pt", "note", "<héllo> \"quoted\""), r.metadata());
                assertEquals(DType.F16, r.info("f16").dtype());
                assertEquals(DType.U8, r.info("u8").dtype());
                assertEquals(DType.BOOL, r.info("bool").dtype());
                assertArrayEquals(new long[0], r.info("scalar").shape());
                Map<String, NDArray> out = r.loadAll(m);
                for (String name : in.keySet()) {
                    NDArray a = in.get(name);
                    NDArray b = out.get(name);
                    assertEquals(a.getShape(), b.getShape(), name);
                    if (name.equals("f16")) { // widened to float32 on load, values exact
                        assertEquals(DataType.FLOAT32, b.getDataType());
                        assertArrayEquals(a.toType(DataType.FLOAT32, false).toFloatArray(), b.toFloatArray());
                    } else {
                        assertEquals(a.getDataType(), b.getDataType(), name);
                        assertArrayEquals(a.toByteArray(), b.toByteArray(), name);
                    }
                    assertEquals(name, b.getName());
                }
                assertArrayEquals(new long[] {0, 127, 200, 255}, r.readLongs("u8"));
                assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, r.readLongs("i64"));
                assertArrayEquals(new float[] {1.5f, -2.25f, 3e-8f, 7f, 0f, -0f}, r.readFloats("f32"));
                assertThrows(IllegalArgumentException.class, () -> r.readFloats("i64"));
                assertThrows(IllegalArgumentException.class, () -> r.readLongs("f32"));
                assertThrows(IllegalArgumentException.class, () -> r.info("missing"));
            }
        }
    }

    @Test
    void javaSideTensorsRoundTripWithoutDjl() throws IOException {
        Map<String, TensorData> in = new LinkedHashMap<>();
        in.put("w", TensorData.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        in.put("ids", TensorData.ofLongs(new long[] {3, 1, 2}, 3));
        in.put("i", TensorData.ofInts(new int[] {-7, 9}, 2));
        in.put("px", TensorData.ofUnsignedBytes(new byte[] {(byte) 255, 1}, 1, 2));
        in.put("h", TensorData.ofHalfs(new float[] {0.5f, -1.25f}, 2));
        in.put("bf", TensorData.ofBfloat16s(new float[] {0.5f, 3.1415927f}, 2));
        Path f = dir.resolve("java.safetensors");
        SafeTensors.writeData(f, in, null);
        try (SafeTensorsReader r = SafeTensors.open(f)) {
            assertEquals(List.of("w", "ids", "i", "px", "h", "bf"), r.names());
            assertTrue(r.metadata().isEmpty());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, r.readFloats("w"));
            assertArrayEquals(new long[] {3, 2}, r.info("w").shape());
            assertArrayEquals(new long[] {3, 1, 2}, r.readLongs("ids"));
            assertArrayEquals(new long[] {-7, 9}, r.readLongs("i"));
            assertArrayEquals(new long[] {255, 1}, r.readLongs("px"));
            assertArrayEquals(new float[] {0.5f, -1.25f}, r.readFloats("h"));
            assertArrayEquals(new float[] {0.5f, 3.140625f}, r.readFloats("bf"));
            for (String name : r.names()) {
                assertEquals(in.get(name).data(), r.readBytes(name), name);
            }
        }
    }

    @Test
    void headerIsPaddedToEightBytesWithSpaces() throws IOException {
        Path f = dir.resolve("pad.safetensors");
        SafeTensors.writeData(f, Map.of("a", TensorData.ofFloats(new float[] {1}, 1)), Map.of());
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertEquals("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header.strip());
        assertTrue(header.endsWith(" ") || header.endsWith("}"));
        assertEquals(8 + headerLen + 4, bytes.length);
    }

    // ---------------------------------------------------------------- fixtures

    @Test
    void readsTheIjepaFixture() throws IOException {
        try (SafeTensorsReader r = SafeTensors.open(HF.resolve("ijepa-tiny/model.safetensors"))) {
            assertEquals("pt", r.metadata().get("format"));
            assertArrayEquals(new long[] {96, 3, 16, 16},
                    r.info("embeddings.patch_embeddings.projection.weight").shape());
            assertArrayEquals(new long[] {1, 16, 96}, r.info("embeddings.position_embeddings").shape());
            assertArrayEquals(new long[] {384, 96}, r.info("encoder.layer.0.intermediate.dense.weight").shape());
            assertArrayEquals(new long[] {96, 384}, r.info("encoder.layer.1.output.dense.weight").shape());
            assertEquals(DType.F32, r.info("encoder.layer.1.output.dense.weight").dtype());
            Map<String, NDArray> all = r.loadAll(manager);
            assertEquals(r.names().size(), all.size());
            for (NDArray a : all.values()) {
                assertEquals(DataType.FLOAT32, a.getDataType());
                assertAllFinite(a.toFloatArray(), a.getName());
                a.close();
            }
            float[] w = r.readFloats("encoder.layer.0.attention.attention.query.weight");
            assertEquals(96 * 96, w.length);
            assertTrue(stdOf(w) > 0, "random init weights are not constant");
        }
        try (SafeTensorsReader r = SafeTensors.open(HF.resolve("ijepa-tiny/io.safetensors"))) {
            assertArrayEquals(new long[] {2, 3, 64, 64}, r.info("pixel_values").shape());
            assertArrayEquals(new long[] {2, 16, 96}, r.info("last_hidden_state").shape());
            assertAllFinite(r.readFloats("last_hidden_state"), "last_hidden_state");
        }
    }

    @Test
    void readsTheVjepa2Fixture() throws IOException {
        try (SafeTensorsReader r = SafeTensors.open(HF.resolve("vjepa2-tiny/io.safetensors"))) {
            assertEquals("1", r.metadata().get("num_mask_sets"));
            assertArrayEquals(new long[] {2, 4, 3, 64, 64}, r.info("pixel_values_videos").shape());
            assertArrayEquals(new long[] {2, 32, 96}, r.info("encoder_last_hidden_state").shape());
            assertArrayEquals(new long[] {2, 12, 96}, r.info("predictor_last_hidden_state").shape());
            assertArrayEquals(new long[] {2, 5}, r.info("logits").shape());
            assertEquals(DType.I64, r.info("context_mask_0").dtype());
            long[] ctx = r.readLongs("context_mask_0");
            long[] tgt = r.readLongs("target_mask_0");
            assertEquals(40, ctx.length);
            assertEquals(24, tgt.length);
            for (long id : ctx) {
                assertTrue(id >= 0 && id < 32, "token id in range: " + id);
            }
            try (NDManager m = manager.newSubManager()) {
                NDArray ids = r.load("target_mask_0", m);
                assertEquals(DataType.INT64, ids.getDataType());
                assertArrayEquals(tgt, ids.toLongArray());
                NDArray h = r.load("encoder_last_hidden_state", m);
                assertEquals(new Shape(2, 32, 96), h.getShape());
                assertAllFinite(h.toFloatArray(), "encoder_last_hidden_state");
                assertArrayEquals(r.readFloats("encoder_last_hidden_state"), h.toFloatArray());
            }
        }
        try (SafeTensorsReader r = SafeTensors.open(HF.resolve("vjepa2-tiny/model.safetensors"))) {
            assertArrayEquals(new long[] {5, 96}, r.info("classifier.weight").shape());
            assertArrayEquals(new long[] {1, 1, 96}, r.info("pooler.query_tokens").shape());
            assertTrue(r.names().stream().anyMatch(n -> n.startsWith("vjepa2.")));
            for (String n : r.names()) {
                assertAllFinite(r.readFloats(n), n);
            }
        }
    }

    @Test
    void rewritingAFixtureReproducesItByteForByte() throws IOException {
        for (String name : List.of("ijepa-tiny/model.safetensors", "vjepa2-tiny/io.safetensors")) {
            Path src = HF.resolve(name);
            Path copy = dir.resolve("copy.safetensors");
            try (SafeTensorsReader r = SafeTensors.open(src); NDManager m = manager.newSubManager()) {
                SafeTensors.write(copy, r.loadAll(m), r.metadata());
            }
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(copy), name);
        }
    }

    // ---------------------------------------------------------------- half precision files built by hand

    @Test
    void bf16AndF16FilesDecodeToTheExpectedFloats() throws IOException {
        // bf16: 1.0 = 0x3F80, -2.0 = 0xC000, 0.15625 = 0x3E20; f16: 1.0 = 0x3C00, -2.0 = 0xC000, 2^-24 = 0x0001
        String json = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[6,12]}}";
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : new int[] {0x3F80, 0xC000, 0x3E20, 0x3C00, 0xC000, 0x0001}) {
            data.putShort((short) s);
        }
        Path f = rawFile(json, data.array());
        try (SafeTensorsReader r = SafeTensors.open(f); NDManager m = manager.newSubManager()) {
            assertArrayEquals(new float[] {1f, -2f, 0.15625f}, r.readFloats("b"));
            assertArrayEquals(new float[] {1f, -2f, (float) Math.pow(2, -24)}, r.readFloats("h"));
            NDArray b = r.load("b", m);
            NDArray h = r.load("h", m);
            assertEquals(DataType.FLOAT32, b.getDataType());
            assertEquals(DataType.FLOAT32, h.getDataType());
            assertArrayEquals(new float[] {1f, -2f, 0.15625f}, b.toFloatArray());
            assertArrayEquals(new float[] {1f, -2f, (float) Math.pow(2, -24)}, h.toFloatArray());
        }
    }

    // ---------------------------------------------------------------- corrupt files

    @Test
    void fileShorterThanEightBytes() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 2, 3, 4, 5});
        assertProblem(f, "shorter than the 8-byte header length");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        assertProblem(rawFile(1000, "{}".getBytes(StandardCharsets.US_ASCII)), "goes beyond the end of the file");
    }

    @Test
    void hugeOrNegativeHeaderLengthIsCappedNotAllocated() throws IOException {
        assertProblem(rawFile(1L << 40, new byte[16]), "exceeds the limit");
        assertProblem(rawFile(-1L, new byte[16]), "exceeds the limit");
    }

    @Test
    void invalidJson() throws IOException {
        assertProblem(rawFile("{\"a\": {\"dtype\": ", new byte[0]), "not valid safetensors JSON");
        assertProblem(rawFile("{'a': 1}", new byte[0]), "not valid safetensors JSON");
        assertProblem(rawFile("[1, 2]", new byte[0]), "does not start with '{'");
        assertProblem(rawFile("{} {}", new byte[0]), "content after its JSON object");
        assertProblem(rawFile(8, new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}', ' '}), "not valid UTF-8");
    }

    @Test
    void unknownDtype() throws IOException {
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F12\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "unknown dtype 'F12' of tensor 'a'");
    }

    @Test
    void offsetsBeyondTheData() throws IOException {
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]),
                "go beyond the data section of 8 bytes");
    }

    @Test
    void overlappingOffsets() throws IOException {
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]),
                "tensor 'b' [4, 12) overlaps tensor 'a' [0, 8)");
    }

    @Test
    void gapAndTrailingBytes() throws IOException {
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
                "gap of 4 bytes before tensor 'a'");
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8]),
                "trailing bytes");
    }

    @Test
    void offsetsNotMatchingShapeTimesDtypeSize() throws IOException {
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'a' claims 8 bytes [0, 8] but shape [2, 2] of F32 needs 16");
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],"
                + "\"data_offsets\":[0,8]}}", new byte[8]), "overflows 64 bits");
    }

    @Test
    void lyingOrIncompleteEntries() throws IOException {
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]),
                "holds negative -1");
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]),
                "end before they begin");
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]), "lacks data_offsets");
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4]),
                "not a 64-bit integer");
        assertProblem(rawFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]),
                "duplicate key 'a'");
        assertProblem(rawFile("{\"__metadata__\":{\"k\":1}}", new byte[0]), "metadata value of 'k' must be a string");
    }

    @Test
    void everyTruncationOrByteFlipFailsCleanly() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Map<String, TensorData> in = new LinkedHashMap<>();
        in.put("a", TensorData.ofFloats(new float[] {1, 2, 3}, 3));
        in.put("b", TensorData.ofLongs(new long[] {4, 5}, 1, 2));
        SafeTensors.writeData(good, in, Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("bad.safetensors");
        for (int len = 0; len < bytes.length; len++) {
            Files.write(bad, java.util.Arrays.copyOf(bytes, len));
            assertThrows(SafeTensorsException.class, () -> SafeTensors.open(bad).close(), "truncated to " + len);
        }
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 300; trial++) {
            byte[] mutated = bytes.clone();
            int pos = random.nextInt(bytes.length - 40); // header region mostly
            mutated[pos] = (byte) random.nextInt(256);
            Files.write(bad, mutated);
            try (SafeTensorsReader r = SafeTensors.open(bad)) {
                for (String n : r.names()) {
                    r.readBytes(n); // a mutation the header survives must still read cleanly
                }
            } catch (SafeTensorsException e) {
                assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- atomic writes

    @Test
    void atomicWriteLeavesNoTempFile() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafeTensors.writeData(f, Map.of("a", TensorData.ofFloats(new float[] {1}, 1)), Map.of());
        SafeTensors.writeData(f, Map.of("a", TensorData.ofFloats(new float[] {2}, 1)), Map.of());
        assertEquals(List.of(f), listDir());
        try (SafeTensorsReader r = SafeTensors.open(f)) {
            assertArrayEquals(new float[] {2}, r.readFloats("a"));
        }
    }

    @Test
    void failedWriteKeepsTheOldFileAndRemovesTheTempFile() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        SafeTensors.writeData(f, Map.of("a", TensorData.ofFloats(new float[] {1, 2}, 2)), Map.of("v", "1"));
        byte[] before = Files.readAllBytes(f);

        // fails in the middle of streaming the tensor bytes, after the header went to the temp file: the second
        // array is released after its shape and type were read (as if freed by another thread)
        try (NDManager m = manager.newSubManager()) {
            NDArray ok = m.create(new float[] {9f}, new Shape(1));
            NDArray gone = m.create(new float[] {8f}, new Shape(1));
            gone.getShape();
            gone.getDataType();
            gone.close();
            Map<String, NDArray> failing = new LinkedHashMap<>();
            failing.put("x", ok);
            failing.put("y", gone);
            assertThrows(RuntimeException.class, () -> SafeTensors.write(f, failing, Map.of()));
        }
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of(f), listDir());

        // fails at the rename: the destination is a non-empty directory
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("inside"));
        assertThrows(IOException.class, () -> SafeTensors.writeData(blocked,
                Map.of("a", TensorData.ofFloats(new float[] {1}, 1)), Map.of()));
        assertEquals(List.of(blocked, f), listDir());
    }

    // ---------------------------------------------------------------- helpers

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private Path rawFile(String json, byte[] data) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        return write(b.array());
    }

    private Path rawFile(long headerLength, byte[] rest) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(rest);
        return write(b.array());
    }

    private Path write(byte[] bytes) throws IOException {
        Path f = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(f, bytes);
        return f;
    }

    private static void assertProblem(Path f, String expected) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(f).close());
        assertTrue(e.getMessage().contains(expected), "message was: " + e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), "message names the file: " + e.getMessage());
    }

    private static void assertAllFinite(float[] values, String name) {
        for (float v : values) {
            assertTrue(Float.isFinite(v), name + " has a non-finite value");
        }
    }

    private static double stdOf(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return Math.sqrt(var / v.length);
    }
}
