package org.jepa4j.train.features;

import ai.djl.ndarray.NDManager;
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
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.run.Checkpointer;
import org.jepa4j.train.run.RunDirectory;
import org.jepa4j.train.step.JepaModel;

/**
 * The encoder of a jepa4j training run: the <em>target</em> (EMA) encoder of one of its checkpoints, built from the
 * run's resolved {@code config.yaml} ({@link JepaModel#encoderConfig(TrainConfig)}).
 *
 * <p>{@link #of(Path)} accepts a run directory (the checkpoint named by {@code checkpoints/latest}, else the newest
 * {@code step-N}), its {@code checkpoints/} folder, or one {@code checkpoints/step-N} directory. Nothing is deleted
 * or rewritten: unlike {@link Checkpointer}, this class only reads. The checkpoint's CRCs are not verified here
 * (resume does that); the safetensors file's structure is.
 *
 * <pre>{@code
 * RunEncoderLoader run = RunEncoderLoader.of(Path.of("runs/vjepa_tiny"));
 * try (FrozenEncoder enc = FrozenEncoder.load(run)) { ... run.config().data().numFrames() ... }
 * }</pre>
 */
public final class RunEncoderLoader implements EncoderLoader {

    private static final Pattern STEP = Pattern.compile("step-(\\d+)");

    private final Path runDirectory;
    private final Path checkpoint;
    private final TrainConfig config;

    private RunEncoderLoader(Path runDirectory, Path checkpoint, TrainConfig config) {
        this.runDirectory = runDirectory;
        this.checkpoint = checkpoint;
        this.config = config;
    }

    /**
     * Resolves a run directory, its {@code checkpoints/} folder or a checkpoint directory, and reads the run's
     * configuration.
     *
     * @param path the run or checkpoint
     * @return the loader (weights are read by {@link #load(NDManager)})
     * @throws NoSuchFileException if {@code path} does not exist
     * @throws IOException if it is not a run or checkpoint, has no checkpoint, or the config cannot be read
     * @throws org.jepa4j.train.config.ConfigException if {@code config.yaml} is invalid
     */
    public static RunEncoderLoader of(Path path) throws IOException {
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
        return new RunEncoderLoader(run, cp, config);
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

    /** Returns the run directory. */
    public Path runDirectory() {
        return runDirectory;
    }

    /** Returns the checkpoint directory whose target encoder is loaded. */
    public Path checkpoint() {
        return checkpoint;
    }

    /** Returns the run's resolved configuration (its data section gives the clip geometry and normalization). */
    public TrainConfig config() {
        return config;
    }

    /** Returns the encoder's hyper-parameters as the run built them. */
    public VitConfig encoderConfig() {
        return JepaModel.encoderConfig(config);
    }

    @Override
    public VisionTransformer load(NDManager manager) throws IOException {
        return EncoderLoader.safeTensors(checkpoint.resolve(CheckpointLayout.TARGET_ENCODER + ".safetensors"),
                encoderConfig()).load(manager);
    }

    @Override
    public String description() {
        return "jepa4j:" + checkpoint + "#" + CheckpointLayout.TARGET_ENCODER;
    }
}
