package org.jepa4j.train.run;

import static org.jepa4j.train.run.CheckpointLayout.LATEST;
import static org.jepa4j.train.run.CheckpointLayout.STATE_FILE;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jepa4j.core.io.AtomicFiles;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes and reads training checkpoints in a directory, atomically, keeping the last N.
 *
 * <p>A checkpoint is a directory {@code step-000001234/} holding one safetensors file per tensor group
 * ({@code encoder.safetensors}, {@code target_encoder.safetensors}, ...) and {@code state.json} (the
 * {@link TrainingState} plus the size and CRC32C of every file). It is written under a hidden temporary name
 * and renamed into place only when complete; then the {@code latest} pointer file is replaced atomically,
 * and only then are checkpoints beyond the last {@code keepLast} deleted (never the one {@code latest}
 * names). A crash at any point therefore leaves the previous checkpoint and pointer intact. {@link CheckpointLayout}
 * names the groups, files and {@code extra} keys.
 */
public final class Checkpointer {


    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final Pattern NAME = Pattern.compile("step-(\\d{9,})");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int FORMAT_VERSION = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    /** Writes one safetensors file (replaceable in tests to simulate a crash mid-write). */
    @FunctionalInterface
    interface TensorWriter {
        void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException;
    }

    private final Path dir;
    private final int keepLast;
    private final TensorWriter writer;

    /**
     * Creates a checkpointer over {@code dir} (created if missing). Leftover temporary directories of an
     * interrupted save are deleted.
     *
     * @param dir the checkpoints directory of a run
     * @param keepLast number of checkpoints to keep, >= 1
     * @throws IOException if the directory cannot be created or listed
     */
    public Checkpointer(Path dir, int keepLast) throws IOException {
        this(dir, keepLast, SafeTensors::write);
    }

    Checkpointer(Path dir, int keepLast, TensorWriter writer) throws IOException {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        this.dir = dir.toAbsolutePath();
        this.keepLast = keepLast;
        this.writer = writer;
        Files.createDirectories(this.dir);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(this.dir, "{.tmp-*,." + LATEST + ".*.tmp}")) {
            for (Path p : ds) {
                LOG.warn("Deleting the leftover of an interrupted checkpoint save: {}", p);
                deleteRecursively(p);
            }
        }
    }

    /**
     * The checkpoints directory.
     *
     * @return the checkpoints directory
     */
    public Path directory() {
        return dir;
    }

    /**
     * Writes a checkpoint atomically, points {@code latest} at it, then prunes old checkpoints.
     *
     * @param state progress to store
     * @param groups group name ({@code [A-Za-z0-9_-]+}) to named tensors; arrays are only read
     * @return the new checkpoint directory
     * @throws IOException if writing fails; earlier checkpoints and the pointer are then untouched
     */
    public Path save(TrainingState state, Map<String, Map<String, NDArray>> groups) throws IOException {
        for (String g : groups.keySet()) {
            if (!GROUP.matcher(g).matches()) {
                throw new IllegalArgumentException("tensor group name must match [A-Za-z0-9_-]+, got '" + g + "'");
            }
        }
        String name = String.format("step-%09d", state.step());
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(".tmp-" + name + "-" + System.nanoTime());
        Files.createDirectory(tmp);
        boolean moved = false;
        try {
            JsonObject files = new JsonObject();
            for (Map.Entry<String, Map<String, NDArray>> g : groups.entrySet()) {
                String file = g.getKey() + ".safetensors";
                Path p = tmp.resolve(file);
                writer.write(p, g.getValue(), Map.of("group", g.getKey(), "step", Long.toString(state.step())));
                JsonObject info = new JsonObject();
                info.addProperty("size", Files.size(p));
                info.addProperty("crc32c", crc32c(p));
                info.addProperty("tensors", g.getValue().size());
                files.add(g.getKey(), info);
            }
            JsonObject root = new JsonObject();
            root.addProperty("format", "jepa4j-checkpoint");
            root.addProperty("version", FORMAT_VERSION);
            root.addProperty("created", Instant.now().toString());
            root.add("state", GSON.toJsonTree(state));
            root.add("groups", files);
            AtomicFiles.writeString(tmp.resolve(STATE_FILE), GSON.toJson(root)); // also syncs tmp
            if (Files.exists(target)) {
                // Same step saved again (e.g. a signal right after a periodic save): replace it.
                Path old = dir.resolve(".tmp-old-" + name + "-" + System.nanoTime());
                atomicMove(target, old);
                atomicMove(tmp, target);
                deleteRecursively(old);
            } else {
                atomicMove(tmp, target);
            }
            moved = true;
            AtomicFiles.syncDirectory(dir);
        } finally {
            if (!moved) {
                deleteRecursively(tmp);
            }
        }
        try {
            AtomicFiles.writeString(dir.resolve(LATEST), name + "\n");
        } catch (AtomicMoveNotSupportedException e) {
            throw new CheckpointException(dir.resolve(LATEST), "the file system cannot rename atomically", e);
        }
        prune(name);
        return target;
    }

    /**
     * Complete-looking checkpoint directories (named {@code step-N} with a {@code state.json}), oldest first.
     * Contents are verified only when loading.
     *
     * @return the checkpoint directories, oldest first
     * @throws IOException if the directory cannot be listed
     */
    public List<Path> list() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
                    .forEach(out::add);
        }
        out.sort(Comparator.comparingLong(Checkpointer::stepOf));
        return out;
    }

    /**
     * The directory the {@code latest} pointer names, if the pointer exists.
     *
     * @return the directory the {@code latest} pointer names, if the pointer exists
     */
    public Optional<Path> latest() throws IOException {
        Path pointer = dir.resolve(LATEST);
        try {
            String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
            if (!NAME.matcher(name).matches()) {
                throw new CheckpointException(pointer, "does not name a checkpoint: '" + name + "'");
            }
            return Optional.of(dir.resolve(name));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Loads the latest checkpoint. When the one {@code latest} names is missing or fails verification, a
     * WARN names the problem and the newest older checkpoint that verifies is loaded instead.
     *
     * @param manager owner of the loaded arrays
     * @return the checkpoint, or empty when the directory holds none
     * @throws CheckpointException if checkpoints exist but none verifies (the message lists each problem)
     */
    public Optional<Checkpoint> loadLatest(NDManager manager) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try {
            latest().ifPresent(candidates::add);
        } catch (CheckpointException e) {
            LOG.warn("Ignoring the checkpoint pointer: {}", e.getMessage());
        }
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (!candidates.contains(all.get(i))) {
                candidates.add(all.get(i));
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        for (Path c : candidates) {
            try {
                Checkpoint cp = load(c, manager);
                if (!problems.isEmpty()) {
                    LOG.warn("Resuming from {} because newer checkpoints are unusable: {}", c, problems);
                }
                return Optional.of(cp);
            } catch (CheckpointException e) {
                LOG.warn("Unusable checkpoint: {}", e.getMessage());
                problems.add(e.getMessage());
            }
        }
        throw new CheckpointException(dir, "no usable checkpoint: " + String.join("; ", problems));
    }

    /**
     * Loads and verifies one checkpoint directory (every file present, sizes and CRC32C as recorded).
     *
     * @param checkpointDir a {@code step-N} directory
     * @param manager owner of the loaded arrays
     * @return the checkpoint
     * @throws CheckpointException naming the checkpoint and the file when anything is missing or corrupt
     */
    public Checkpoint load(Path checkpointDir, NDManager manager) throws IOException {
        Path stateFile = checkpointDir.resolve(STATE_FILE);
        if (!Files.isDirectory(checkpointDir)) {
            throw new CheckpointException(checkpointDir, "checkpoint directory does not exist");
        }
        if (!Files.isRegularFile(stateFile)) {
            throw new CheckpointException(checkpointDir, "incomplete checkpoint: " + STATE_FILE + " is missing");
        }
        JsonObject root;
        TrainingState state;
        try {
            root = GSON.fromJson(Files.readString(stateFile, StandardCharsets.UTF_8), JsonObject.class);
            if (root == null || !"jepa4j-checkpoint".equals(str(root, "format"))) {
                throw new CheckpointException(stateFile, "not a jepa4j checkpoint state file");
            }
            state = GSON.fromJson(root.get("state"), TrainingState.class);
            if (state == null) {
                throw new CheckpointException(stateFile, "has no 'state'");
            }
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
            throw new CheckpointException(stateFile, "corrupt state file: " + e.getMessage(), e);
        }
        JsonObject files = root.getAsJsonObject("groups");
        if (files == null) {
            throw new CheckpointException(stateFile, "has no 'groups'");
        }
        Map<String, Map<String, NDArray>> groups = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonElement> e : files.entrySet()) {
                Path file = checkpointDir.resolve(e.getKey() + ".safetensors");
                JsonObject info = e.getValue().getAsJsonObject();
                if (!Files.isRegularFile(file)) {
                    throw new CheckpointException(file, "missing file of tensor group '" + e.getKey() + "'");
                }
                long size = Files.size(file);
                long expectedSize = info.get("size").getAsLong();
                if (size != expectedSize) {
                    throw new CheckpointException(file, "size " + size + " bytes, expected " + expectedSize
                            + " (truncated or overwritten)");
                }
                long crc = crc32c(file);
                if (crc != info.get("crc32c").getAsLong()) {
                    throw new CheckpointException(file, "CRC32C mismatch (corrupt file)");
                }
                try (SafeTensorsReader r = SafeTensors.open(file)) {
                    groups.put(e.getKey(), r.loadAll(manager));
                } catch (IOException ex) {
                    throw new CheckpointException(file, "unreadable tensor group: " + ex.getMessage(), ex);
                }
            }
        } catch (IOException | RuntimeException ex) {
            groups.values().forEach(g -> g.values().forEach(NDArray::close));
            if (ex instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(checkpointDir, "cannot load: " + ex.getMessage(), ex);
        }
        return new Checkpoint(checkpointDir, state, groups);
    }

    /** Deletes checkpoints beyond the last {@code keepLast}, never {@code keep}. */
    private void prune(String keep) throws IOException {
        List<Path> all = list();
        int excess = all.size() - keepLast;
        for (int i = 0; i < all.size() && excess > 0; i++) {
            Path p = all.get(i);
            if (p.getFileName().toString().equals(keep)) {
                continue;
            }
            // Rename first so a crash mid-delete never leaves a half-deleted "complete-looking" checkpoint.
            Path doomed = dir.resolve(".tmp-del-" + p.getFileName() + "-" + System.nanoTime());
            atomicMove(p, doomed);
            deleteRecursively(doomed);
            excess--;
        }
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    static long crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }

    private static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new CheckpointException(to, "the file system cannot rename atomically", e);
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            List<Path> paths = s.sorted(Comparator.reverseOrder()).toList();
            for (Path q : paths) {
                Files.deleteIfExists(q);
            }
        }
    }
}
