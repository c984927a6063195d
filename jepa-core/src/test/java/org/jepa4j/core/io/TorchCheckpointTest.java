package org.jepa4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by torch.save (1.13, see src/test/resources/torch/make_fixtures.py) read back exactly. */
class TorchCheckpointTest {

    static final Path DIR = Path.of("src/test/resources/torch");
    static final Path FLAT = DIR.resolve("flat.pt");
    static final Path VJEPA = DIR.resolve("vjepa_tiny.pt");

    @Test
    void flatStateDictMatchesTorchValues() throws Exception {
        JsonObject expected = JsonParser.parseString(Files.readString(DIR.resolve("flat.json"))).getAsJsonObject();
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(FLAT)) {
            Map<String, TorchTensor> tensors = ckpt.tensors(null);
            assertEquals(expected.keySet(), tensors.keySet());
            for (String name : expected.keySet()) {
                JsonObject e = expected.getAsJsonObject(name);
                TensorData t = ckpt.read(tensors.get(name));
                assertArrayEquals(longs(e.getAsJsonArray("shape")), t.shape(), name + " shape");
                JsonArray values = e.getAsJsonArray("values");
                String dtype = e.get("dtype").getAsString();
                assertEquals(Map.of("float32", DType.F32, "float16", DType.F16, "bfloat16", DType.BF16,
                        "int64", DType.I64, "bool", DType.BOOL).get(dtype), t.dtype(), name + " dtype");
                ByteBuffer raw = t.data();
                for (int i = 0; i < values.size(); i++) {
                    double actual = switch (t.dtype()) {
                        case I64 -> raw.getLong(8 * i);
                        case BOOL -> raw.get(i);
                        default -> t.toFloats()[i];
                    };
                    assertEquals(values.get(i).getAsDouble(), actual, 0.0, name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void viewsKeepTheirStorageOffsetAndStrides() throws Exception {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(FLAT)) {
            Map<String, TorchTensor> t = ckpt.tensors(null);
            assertEquals(t.get("base").storageKey(), t.get("slice").storageKey(), "slice shares base's storage");
            assertEquals(t.get("base").storageKey(), t.get("every_other").storageKey());
            assertEquals(5, t.get("slice").storageOffset());
            assertArrayEquals(new long[] {4}, t.get("every_other").stride());
            assertEquals(t.get("grid").storageKey(), t.get("transposed").storageKey());
            assertArrayEquals(new long[] {1, 3}, t.get("transposed").stride());
            assertFalse(t.get("transposed").isContiguous());
            assertTrue(t.get("grid").isContiguous());
            assertEquals(0, t.get("scalar").shape().length);
        }
    }

    @Test
    void halfAndBfloat16LoadAsFloat32Arrays() throws Exception {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(FLAT); NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = ckpt.loadStateDict(null, m);
            assertEquals(DataType.FLOAT32, arrays.get("bf16").getDataType());
            assertEquals(DataType.FLOAT32, arrays.get("f16").getDataType());
            assertEquals(DataType.INT64, arrays.get("i64").getDataType());
            assertEquals(DataType.BOOLEAN, arrays.get("mask").getDataType());
            JsonObject expected = JsonParser.parseString(Files.readString(DIR.resolve("flat.json"))).getAsJsonObject();
            JsonArray bf16 = expected.getAsJsonObject("bf16").getAsJsonArray("values");
            float[] widened = arrays.get("bf16").toFloatArray();
            for (int i = 0; i < bf16.size(); i++) {
                assertEquals(bf16.get(i).getAsFloat(), widened[i], 0f, "bf16[" + i + "]");
            }
            assertArrayEquals(new float[] {0.125f, 3.125f, 1.125f, 4.125f, 2.125f, 5.125f},
                    arrays.get("transposed").toFloatArray());
            assertEquals("slice", arrays.get("slice").getName());
        }
    }

    @Test
    void nestedTrainingCheckpointExposesEntriesAndScalars() throws Exception {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(VJEPA)) {
            assertEquals(List.of("encoder", "predictor", "target_encoder", "opt", "scaler", "epoch", "loss",
                    "batch_size", "lr", "args"), ckpt.keys());
            assertEquals(3L, ckpt.get("epoch"));
            assertEquals(0.5, ckpt.get("loss"));
            assertEquals(null, ckpt.get("scaler"));
            assertEquals(1e-3, ckpt.get("opt/param_groups/0/lr"));
            PickleObject args = assertInstanceOf(PickleObject.class, ckpt.get("args"));
            assertEquals("argparse.Namespace", args.global());
            assertEquals("vit_tiny", ((Map<?, ?>) args.state()).get("model_name"));
            Map<String, TorchTensor> target = ckpt.tensors("target_encoder");
            assertTrue(target.containsKey("module.blocks.1.mlp.fc2.weight"), target.keySet().toString());
            assertArrayEquals(new long[] {16, 3, 2, 4, 4}, target.get("module.patch_embed.proj.weight").shape());
            assertNotEquals(ckpt.tensors("encoder").get("module.norm.weight").storageKey(),
                    target.get("module.norm.weight").storageKey());
        }
    }

    @Test
    void unknownOrNonStateDictEntriesListWhatExists() throws Exception {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(VJEPA)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ckpt.tensors("ema"));
            assertTrue(e.getMessage().contains("'ema'") && e.getMessage().contains("target_encoder")
                    && e.getMessage().contains(VJEPA.toString()), e.getMessage());
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> ckpt.tensors("opt"));
            assertTrue(e2.getMessage().contains("not a state dict")
                    && e2.getMessage().contains("[encoder, predictor, target_encoder]"), e2.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ckpt.tensors("epoch"));
        }
    }

    @Test
    void nonWhitelistedGlobalIsRefusedNotRun() {
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class,
                () -> TorchCheckpoint.open(DIR.resolve("evil.pt")));
        assertTrue(e.getMessage().contains("'posix.system'") && e.getMessage().contains("evil.pt"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TorchCheckpoint.open(FLAT, Set.of("torch.nn.Linear")));
    }

    @Test
    void truncatedOrLegacyFilesFailClearly(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(FLAT);
        Path half = dir.resolve("half.pt");
        Files.write(half, java.util.Arrays.copyOf(all, all.length / 2));
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.open(half));
        assertTrue(e.getMessage().contains("half.pt") && e.getMessage().contains("zip"), e.getMessage());
        Path legacy = dir.resolve("legacy.pt");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc});
        TorchCheckpointException e2 = assertThrows(TorchCheckpointException.class,
                () -> TorchCheckpoint.open(legacy));
        assertTrue(e2.getMessage().contains("legacy"), e2.getMessage());
    }

    @Test
    void missingStorageRecordIsNamed(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.pt");
        String dropped;
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(FLAT)) {
            dropped = "flat/data/" + ckpt.tensors(null).get("f32").storageKey();
        }
        copyZipWithout(FLAT, broken, dropped);
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(broken)) {
            TensorData ok = ckpt.read(ckpt.tensors(null).get("i64"));
            assertEquals(DType.I64, ok.dtype());
            TorchCheckpointException e = assertThrows(TorchCheckpointException.class,
                    () -> ckpt.read(ckpt.tensors(null).get("f32")));
            assertTrue(e.getMessage().contains("missing storage record '" + dropped + "'")
                    && e.getMessage().contains("broken.pt"), e.getMessage());
        }
    }

    @Test
    void malformedPickleFailsWithoutCrashing(@TempDir Path dir) throws Exception {
        // a zip with a data.pkl that pops an empty stack, and one with an unsupported opcode
        for (byte[] pkl : new byte[][] {{(byte) 0x80, 2, 's', '.'}, {(byte) 0x80, 2, 'I', '1', '\n', '.'},
                {(byte) 0x80, 2, 'X', 100, 0, 0, 0}}) {
            Path f = dir.resolve("bad.pt");
            try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
                z.putNextEntry(new ZipEntry("bad/data.pkl"));
                z.write(pkl);
                z.closeEntry();
            }
            TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.open(f));
            assertTrue(e.getMessage().contains("bad.pt"), e.getMessage());
        }
    }

    private static void copyZipWithout(Path from, Path to, String dropped) throws Exception {
        rewriteZip(from, to, name -> name.equals(dropped) ? null : name, Map.of());
    }

    /** Copies a zip renaming its records ({@code rename} returns null to drop one) and adding {@code extra} ones. */
    private static void rewriteZip(Path from, Path to, UnaryOperator<String> rename, Map<String, byte[]> extra)
            throws Exception {
        try (ZipFile in = new ZipFile(from.toFile());
                OutputStream os = Files.newOutputStream(to);
                ZipOutputStream out = new ZipOutputStream(os)) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = rename.apply(e.getName());
                if (name == null) {
                    continue;
                }
                byte[] bytes = in.getInputStream(e).readAllBytes();
                out.putNextEntry(new ZipEntry(name)); // deflated: the reader takes either method
                out.write(bytes);
                out.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    @Test
    void pytorch2LayoutReadsTheSame(@TempDir Path dir) throws Exception {
        // torch >= 2.1 names the prefix "archive" (a fixed name, not the file stem) and adds byteorder,
        // .format_version, .storage_alignment and .data/serialization_id records; the fixture is rewritten that way
        Path v2 = dir.resolve("model.pt");
        rewriteZip(FLAT, v2, name -> "archive/" + name.substring("flat/".length()),
                Map.of("archive/byteorder", bytes("little"), "archive/.format_version", bytes("1"),
                        "archive/.storage_alignment", bytes("64"), "archive/.data/serialization_id",
                        bytes("1234567890123456789000000000001")));
        try (TorchCheckpoint original = TorchCheckpoint.open(FLAT); TorchCheckpoint rewritten = TorchCheckpoint.open(v2)) {
            Map<String, TorchTensor> a = original.tensors(null);
            Map<String, TorchTensor> b = rewritten.tensors(null);
            assertEquals(a.keySet(), b.keySet());
            for (String name : a.keySet()) {
                assertEquals(original.read(a.get(name)).data(), rewritten.read(b.get(name)).data(), name);
            }
        }
        Path bigEndian = dir.resolve("big.pt");
        rewriteZip(v2, bigEndian, name -> name.equals("archive/byteorder") ? null : name,
                Map.of("archive/byteorder", bytes("big")));
        TorchCheckpointException e = assertThrows(TorchCheckpointException.class, () -> TorchCheckpoint.open(bigEndian));
        assertTrue(e.getMessage().contains("big") && e.getMessage().contains("big.pt"), e.getMessage());
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        int i = 0;
        for (JsonElement e : a) {
            out[i++] = e.getAsLong();
        }
        return out;
    }
}
