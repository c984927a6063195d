package org.jepa4j.train.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.run.RunDirectory;

/**
 * One checkpoint of a jepa4j training run, found without writing anything, with the run's resolved configuration.
 *
 * <p>{@link #resolve(Path)} accepts a run directory (the checkpoint named by {@code checkpoints/latest}, else the
 * newest {@code step-N}), its {@code checkpoints/} folder, or one {@code checkpoints/step-N} directory. The
 * checkpoint's CRCs are not verified here (resume does that).
 *
 * @param runDirectory the run directory (holding {@code config.yaml})
 * @param checkpoint the checkpoint directory
 * @param config the run's resolved configuration
 */
public record RunCheckpoint(Path runDirectory, Path checkpoint, TrainConfig config) {

    private static final Pattern STEP = Pattern.compile("step-(\\d+)");

    /**
     * Resolves a run directory, its {@code checkpoints/} folder or a checkpoint directory, and reads the run's
     * configuration.
     *
     * @param path the run or checkpoint
     * @return the checkpoint and the run's configuration
     * @throws NoSuchFileException if {@code path} does not exist
     * @throws IOException if it is not a run or checkpoint, has no checkpoint or no target encoder, or the config
     *     cannot be read
     * @throws org.jepa4j.train.config.ConfigException if {@code config.yaml} is invalid
     */
    public static RunCheckpoint resolve(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        Path p = path.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new NoSuchFileException(path.toString());
        }
        if (!Files.isDirectory(p)) {
            throw new IOException(path + ": not a jepa4j run directory or checkpoint directory (it is a file)");
        }
        Path run;
        Path cp;
        if (Files.isRegularFile(p.resolve(CheckpointLayout.STATE_FILE))) {
            cp = p;
            run = p.getParent() == null ? null : p.getParent().getParent();
        } else if (p.getFileName() != null && p.getFileName().toString().equals("checkpoints")
                && Files.isRegularFile(p.getParent().resolve(RunDirectory.CONFIG_FILE))) {
            run = p.getParent();
            cp = latest(p, path);
        } else if (Files.isRegularFile(p.resolve(RunDirectory.CONFIG_FILE))) {
            run = p;
            cp = latest(p.resolve("checkpoints"), path);
        } else {
            throw new IOException(path + ": not a jepa4j run directory (" + RunDirectory.CONFIG_FILE
                    + " + checkpoints/) nor a checkpoint directory (" + CheckpointLayout.STATE_FILE + ")");
        }
        if (run == null || !Files.isRegularFile(run.resolve(RunDirectory.CONFIG_FILE))) {
            throw new IOException(path + ": checkpoint outside a run directory (no " + RunDirectory.CONFIG_FILE
                    + " two levels up, where the run's configuration should be)");
        }
        Path weights = cp.resolve(CheckpointLayout.TARGET_ENCODER + ".safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new IOException(cp + ": checkpoint has no " + weights.getFileName());
        }
        TrainConfig config = TrainConfig.load(run.resolve(RunDirectory.CONFIG_FILE));
        return new RunCheckpoint(run, cp, config);
    }

    private static Path latest(Path checkpoints, Path asked) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            throw new IOException(asked + ": the run has no checkpoints/ folder");
        }
        Path pointer = checkpoints.resolve(CheckpointLayout.LATEST);
        if (Files.isRegularFile(pointer)) {
            Path named = checkpoints.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
            if (Files.isRegularFile(named.resolve(CheckpointLayout.STATE_FILE))) {
                return named;
            }
        }
        List<Path> steps = new ArrayList<>();
        try (Stream<Path> s = Files.list(checkpoints)) {
            s.filter(d -> STEP.matcher(d.getFileName().toString()).matches())
                    .filter(d -> Files.isRegularFile(d.resolve(CheckpointLayout.STATE_FILE)))
                    .forEach(steps::add);
        }
        return steps.stream().max(Comparator.comparing(d -> d.getFileName().toString()))
                .orElseThrow(() -> new IOException(asked + ": the run has no checkpoint yet (" + checkpoints
                        + " holds no step-N directory)"));
    }

    /**
     * The safetensors file of one network group of the checkpoint.
     *
     * @param group a {@link CheckpointLayout} group name, e.g. {@link CheckpointLayout#TARGET_ENCODER}
     * @return {@code checkpoint/<group>.safetensors}
     */
    public Path groupFile(String group) {
        return checkpoint.resolve(group + ".safetensors");
    }
}
