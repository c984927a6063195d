package org.jepa4j.train.run;

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
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.jepa4j.core.io.SafeTensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {

    @TempDir
    Path dir;
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private Map<String, Map<String, NDArray>> groups(float base) {
        Map<String, NDArray> enc = new LinkedHashMap<>();
        enc.put("blocks.0.attn.qkv.weight", manager.create(new float[] {base, base + 1, base + 2, base + 3, base + 4,
            base + 5}, new Shape(2, 3)));
        enc.put("blocks.0.attn.qkv.bias", manager.create(new float[] {-base, base}, new Shape(2)));
        Map<String, NDArray> opt = new LinkedHashMap<>();
        opt.put("exp_avg.blocks.0.attn.qkv.weight", manager.ones(new Shape(2, 3)).mul(base));
        opt.put("step", manager.create(new long[] {(long) base}, new Shape(1)));
        Map<String, Map<String, NDArray>> g = new LinkedHashMap<>();
        g.put(CheckpointLayout.ENCODER, enc);
        g.put(CheckpointLayout.TARGET_ENCODER, enc);
        g.put(CheckpointLayout.OPTIMIZER, opt);
        return g;
    }

    private static TrainingState state(long step) {
        Random r = new Random(7);
        r.nextGaussian();
        return new TrainingState(step, (int) (step / 10), step % 10, Map.of("lr", step, "wd", step, "momentum", step),
                Map.of("masks", RngState.capture(r)), 1, 3, null, Map.of("note", "x"));
    }

    @Test
    void roundTripsTensorsAndState() throws IOException {
        Checkpointer c = new Checkpointer(dir.resolve("checkpoints"), 3);
        Path written = c.save(state(42), groups(42));
        assertEquals("step-000000042", written.getFileName().toString());
        try (Checkpoint cp = c.loadLatest(manager).orElseThrow()) {
            assertEquals(written, cp.dir());
            assertEquals(state(42), cp.state());
            assertEquals(List.of("encoder", "target_encoder", "optimizer"), List.copyOf(cp.groups().keySet()));
            Map<String, NDArray> enc = cp.group(CheckpointLayout.ENCODER);
            assertEquals(List.of("blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias"), List.copyOf(enc.keySet()));
            assertArrayEquals(new float[] {42, 43, 44, 45, 46, 47}, enc.get("blocks.0.attn.qkv.weight").toFloatArray());
            assertEquals(new Shape(2, 3), enc.get("blocks.0.attn.qkv.weight").getShape());
            NDArray step = cp.group(CheckpointLayout.OPTIMIZER).get("step");
            assertEquals(DataType.INT64, step.getDataType());
            assertEquals(42L, step.toLongArray()[0]);
            Random restored = RngState.restore(cp.state().rng().get("masks"));
            Random expected = new Random(7);
            expected.nextGaussian();
            assertEquals(expected.nextGaussian(), restored.nextGaussian());
            assertThrows(IllegalArgumentException.class, () -> cp.group("predictor"));
        }
    }

    @Test
    void keepsTheLastNAndPointsLatestAtTheNewest() throws IOException {
        Checkpointer c = new Checkpointer(dir, 2);
        assertEquals(Optional.empty(), c.loadLatest(manager));
        for (int s = 1; s <= 5; s++) {
            c.save(state(s * 100L), groups(s));
        }
        List<Path> kept = c.list();
        assertEquals(List.of(dir.resolve("step-000000400"), dir.resolve("step-000000500")), kept);
        assertEquals(dir.resolve("step-000000500"), c.latest().orElseThrow());
        try (Checkpoint cp = c.loadLatest(manager).orElseThrow()) {
            assertEquals(500, cp.state().step());
        }
        // Saving the same step again replaces it.
        c.save(state(500), groups(9));
        try (Checkpoint cp = c.loadLatest(manager).orElseThrow()) {
            assertEquals(9f, cp.group("encoder").get("blocks.0.attn.qkv.weight").toFloatArray()[0]);
        }
        assertEquals(2, c.list().size());
    }

    @Test
    void crashMidWriteLeavesLatestIntact() throws IOException {
        Checkpointer good = new Checkpointer(dir, 1);
        good.save(state(10), groups(10));
        // A writer that dies after the first tensor group, as a crash or a full disk would.
        int[] calls = {0};
        Checkpointer crashing = new Checkpointer(dir, 1, (file, tensors, meta) -> {
            if (calls[0]++ >= 1) {
                Files.writeString(file, "partial");
                throw new IOException("No space left on device");
            }
            SafeTensors.write(file, tensors, meta);
        });
        IOException e = assertThrows(IOException.class, () -> crashing.save(state(20), groups(20)));
        assertTrue(e.getMessage().contains("No space left"));
        assertEquals(List.of(dir.resolve("step-000000010")), good.list());
        assertEquals(dir.resolve("step-000000010"), good.latest().orElseThrow());
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".tmp")), "temporary files left");
        }
        // A process killed mid-save leaves its temporary directory; the next checkpointer removes it.
        Path leftover = Files.createDirectory(dir.resolve(".tmp-step-000000030-123"));
        Files.writeString(leftover.resolve("encoder.safetensors"), "half a file");
        Path pointerLeftover = Files.writeString(dir.resolve("." + CheckpointLayout.LATEST + ".4711.tmp"), "step-0000");
        Checkpointer reopened = new Checkpointer(dir, 1);
        assertFalse(Files.exists(leftover));
        assertFalse(Files.exists(pointerLeftover), "an interrupted pointer write is removed too");
        try (Checkpoint cp = reopened.loadLatest(manager).orElseThrow()) {
            assertEquals(10, cp.state().step());
        }
    }

    @Test
    void corruptOrIncompleteCheckpointsGiveClearErrorsAndFallBack() throws IOException {
        Checkpointer c = new Checkpointer(dir, 3);
        c.save(state(1), groups(1));
        Path newest = c.save(state(2), groups(2));
        Path file = newest.resolve("encoder.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 3);
            raf.write(0x55);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> c.load(newest, manager));
        assertTrue(e.getMessage().contains("encoder.safetensors") && e.getMessage().contains("CRC32C"), e.getMessage());
        try (Checkpoint cp = c.loadLatest(manager).orElseThrow()) {
            assertEquals(1, cp.state().step(), "falls back to the newest checkpoint that verifies");
        }
        Path third = c.save(state(3), groups(3));
        Files.delete(third.resolve("optimizer.safetensors"));
        CheckpointException missing = assertThrows(CheckpointException.class, () -> c.load(third, manager));
        assertTrue(missing.getMessage().contains("optimizer.safetensors"), missing.getMessage());
        Path noState = Files.createDirectory(dir.resolve("step-000000099"));
        CheckpointException incomplete = assertThrows(CheckpointException.class, () -> c.load(noState, manager));
        assertTrue(incomplete.getMessage().contains("state.json is missing"), incomplete.getMessage());
        assertEquals(3, c.list().size(), "a directory without state.json is not listed");
        Files.writeString(c.list().get(0).resolve("state.json"), "{ not json");
        CheckpointException all = assertThrows(CheckpointException.class, () -> c.loadLatest(manager));
        assertTrue(all.getMessage().contains("no usable checkpoint"), all.getMessage());
    }

    @Test
    void runDirectoryLayout() throws IOException {
        var cfg = org.jepa4j.train.config.TrainConfig.preset("vjepa_tiny",
                List.of("logging.folder=" + dir.resolve("run").toString().replace("\\", "/")));
        RunDirectory run = RunDirectory.create(cfg);
        assertTrue(Files.isDirectory(run.checkpointsDir()));
        assertTrue(Files.isDirectory(run.plotsDir()));
        assertEquals(cfg, run.readConfig());
        assertEquals(run.root().resolve("metrics.jsonl"), run.metricsFile("jsonl"));
        assertEquals(run.checkpointsDir(), run.checkpointer(2).directory());
    }
}
