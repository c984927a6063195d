package org.jepa4j.train.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.jepa4j.core.hf.HfConfig;

/**
 * Where weights come from, recognized from a path without reading its tensors: the one resolver behind
 * {@code meta.init_from} ({@link InitialWeights}) and the frozen encoders of feature extraction
 * ({@code org.jepa4j.train.features.EncoderLoader#of}).
 *
 * <ul>
 *   <li>{@link Kind#JEPA4J_RUN}: a jepa4j run directory, its {@code checkpoints/} folder or one
 *       {@code checkpoints/step-N} directory ({@link RunCheckpoint});</li>
 *   <li>{@link Kind#HUGGING_FACE}: a directory with {@code config.json} (Hugging Face {@code vjepa2} or
 *       {@code ijepa} model);</li>
 *   <li>{@link Kind#SAFETENSORS}: a {@code .safetensors} file of parameters under the reference names (its
 *       configuration is not in the file);</li>
 *   <li>{@link Kind#REFERENCE_PT}: any other regular file, read as a reference PyTorch checkpoint ({@code .pt}).</li>
 * </ul>
 */
public final class WeightSource {

    /** The kind of a weights source. */
    public enum Kind {
        /** A jepa4j run directory or checkpoint directory. */
        JEPA4J_RUN,
        /** A Hugging Face model directory. */
        HUGGING_FACE,
        /** A reference PyTorch training checkpoint. */
        REFERENCE_PT,
        /** A safetensors file of parameters under the reference names. */
        SAFETENSORS
    }

    private final Path path;
    private final Kind kind;
    private final Path file;
    private final RunCheckpoint run;
    private final String modelType;

    private WeightSource(Path path, Kind kind, Path file, RunCheckpoint run, String modelType) {
        this.path = path;
        this.kind = kind;
        this.file = file;
        this.run = run;
        this.modelType = modelType;
    }

    /**
     * Recognizes a weights source: a {@code .safetensors} file, another regular file (a reference {@code .pt}), a
     * directory with {@code config.json} (Hugging Face; its {@code model_type} is read), any other directory a
     * jepa4j run or checkpoint (its configuration is read).
     *
     * @param path the source
     * @return the source
     * @throws NoSuchFileException if {@code path} does not exist
     * @throws IOException if it is a directory of no known kind, an unreadable {@code config.json}, or a run
     *     without checkpoints (the message names the path)
     */
    public static WeightSource resolve(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (Files.isRegularFile(path)) {
            Kind kind = path.getFileName().toString().endsWith(".safetensors") ? Kind.SAFETENSORS : Kind.REFERENCE_PT;
            return new WeightSource(path, kind, path, null, null);
        }
        if (Files.isRegularFile(path.resolve("config.json"))) {
            String type;
            try {
                type = HfConfig.read(path).modelType();
            } catch (RuntimeException e) {
                throw new IOException(path + ": unreadable Hugging Face config.json: " + e.getMessage(), e);
            }
            return new WeightSource(path, Kind.HUGGING_FACE, path, null, type);
        }
        RunCheckpoint run = RunCheckpoint.resolve(path); // names the path when it is no run
        return new WeightSource(path, Kind.JEPA4J_RUN, run.checkpoint(), run, null);
    }

    /**
     * The path as given.
     *
     * @return the path passed to {@link #resolve(Path)}
     */
    public Path path() {
        return path;
    }

    /**
     * The kind of source.
     *
     * @return what the path holds
     */
    public Kind kind() {
        return kind;
    }

    /**
     * What is read: the checkpoint directory of a run, the model directory, or the file.
     *
     * @return the directory or file holding the tensors
     */
    public Path file() {
        return file;
    }

    /**
     * The run's checkpoint and configuration.
     *
     * @return the resolved checkpoint for {@link Kind#JEPA4J_RUN}, else null
     */
    public RunCheckpoint run() {
        return run;
    }

    /**
     * The Hugging Face {@code model_type} ({@code vjepa2}, {@code ijepa}, ...).
     *
     * @return the model type for {@link Kind#HUGGING_FACE}, else null
     */
    public String modelType() {
        return modelType;
    }

    /**
     * A one-line description for logs, e.g. {@code jepa4j checkpoint runs/a/checkpoints/step-000000100}.
     *
     * @return the kind and the path read
     */
    public String description() {
        return switch (kind) {
            case JEPA4J_RUN -> "jepa4j checkpoint " + file;
            case HUGGING_FACE -> "vjepa2".equals(modelType) ? "Hugging Face V-JEPA 2 model " + file
                    : "Hugging Face " + modelType + " model " + file;
            case REFERENCE_PT -> "PyTorch checkpoint " + file;
            case SAFETENSORS -> "safetensors file " + file;
        };
    }
}
