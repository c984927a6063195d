package org.jepa4j.train.features;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.step.JepaModel;
import org.jepa4j.train.weights.RunCheckpoint;
import org.jepa4j.train.weights.WeightSource;

/**
 * The encoder of a jepa4j training run: the <em>target</em> (EMA) encoder of one of its checkpoints, built from the
 * run's resolved {@code config.yaml} ({@link JepaModel#encoderConfig(TrainConfig)}).
 *
 * <p>{@link #of(Path)} accepts a run directory (the checkpoint named by {@code checkpoints/latest}, else the newest
 * {@code step-N}), its {@code checkpoints/} folder, or one {@code checkpoints/step-N} directory, as the one weight
 * resolver finds them ({@link WeightSource}, {@link RunCheckpoint}). Nothing is deleted or rewritten. The checkpoint's
 * CRCs are not verified here (resume does that); the safetensors file's structure is.
 *
 * <pre>{@code
 * RunEncoderLoader run = RunEncoderLoader.of(Path.of("runs/vjepa_tiny"));
 * try (FrozenEncoder enc = FrozenEncoder.load(run)) { ... run.config().data().numFrames() ... }
 * }</pre>
 */
public final class RunEncoderLoader implements EncoderLoader {

    private final RunCheckpoint run;

    private RunEncoderLoader(RunCheckpoint run) {
        this.run = run;
    }

    /**
     * Resolves a run directory, its {@code checkpoints/} folder or a checkpoint directory, and reads the run's
     * configuration ({@link RunCheckpoint#resolve(Path)}).
     *
     * @param path the run or checkpoint
     * @return the loader (weights are read by {@link #load(NDManager)})
     * @throws NoSuchFileException if {@code path} does not exist
     * @throws IOException if it is not a run or checkpoint, has no checkpoint, or the config cannot be read
     * @throws org.jepa4j.train.config.ConfigException if {@code config.yaml} is invalid
     */
    public static RunEncoderLoader of(Path path) throws IOException {
        return new RunEncoderLoader(RunCheckpoint.resolve(path));
    }

    /**
     * The loader of an already resolved run checkpoint.
     *
     * @param run the checkpoint and the run's configuration
     * @return the loader of its target encoder
     */
    public static RunEncoderLoader of(RunCheckpoint run) {
        return new RunEncoderLoader(Objects.requireNonNull(run, "run"));
    }

    /**
     * The run directory.
     *
     * @return the directory holding {@code config.yaml}
     */
    public Path runDirectory() {
        return run.runDirectory();
    }

    /**
     * The checkpoint directory whose target encoder is loaded.
     *
     * @return {@code checkpoints/step-N}
     */
    public Path checkpoint() {
        return run.checkpoint();
    }

    /**
     * The run's resolved configuration (its data section gives the clip geometry and normalization).
     *
     * @return the configuration of the run
     */
    public TrainConfig config() {
        return run.config();
    }

    /**
     * The encoder's hyper-parameters as the run built them.
     *
     * @return the encoder configuration
     */
    public VitConfig encoderConfig() {
        return JepaModel.encoderConfig(run.config());
    }

    @Override
    public VisionTransformer load(NDManager manager) throws IOException {
        return EncoderLoader.safeTensors(run.groupFile(CheckpointLayout.TARGET_ENCODER), encoderConfig())
                .load(manager);
    }

    @Override
    public String description() {
        return "jepa4j:" + run.checkpoint() + "#" + CheckpointLayout.TARGET_ENCODER;
    }
}
