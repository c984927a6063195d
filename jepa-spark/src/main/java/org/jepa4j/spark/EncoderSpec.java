package org.jepa4j.spark;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.SparkFiles;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.RunEncoderLoader;

/**
 * How an executor finds the frozen encoder: a serializable recipe (kind + path) that every executor JVM turns into
 * an {@link EncoderLoader} once ({@link ExecutorEncoder}).
 *
 * <p><b>Where the path is looked up.</b> First as given (a path on a filesystem every node mounts, e.g. NFS);
 * if it is not there, under Spark's file root ({@link SparkFiles#getRootDirectory()}), where
 * {@code spark-submit --files model.safetensors} and {@code --archives vjepa2.tar.gz#vjepa2} put what they ship
 * (archives unpacked into a folder of the name after {@code #}). The message of a path found nowhere names both
 * places.
 */
public final class EncoderSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Builds the loader from the resolved path (serializable: shipped to the executors with the job). */
    @FunctionalInterface
    public interface LoaderFactory extends Serializable {
        /**
         * Makes the loader.
         *
         * @param path the resolved path
         * @return the loader
         * @throws IOException if the path is not what the kind needs
         */
        EncoderLoader create(Path path) throws IOException;
    }

    private final String kind;
    private final String path;
    private final LoaderFactory factory;

    private EncoderSpec(String kind, String path, LoaderFactory factory) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.path = Objects.requireNonNull(path, "path");
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * A Hugging Face model directory ({@link EncoderLoader#huggingFace}).
     *
     * @param dir the directory, as executors see it (or its name under Spark's file root)
     * @return the spec
     */
    public static EncoderSpec huggingFace(String dir) {
        return new EncoderSpec("huggingface", dir, EncoderLoader::huggingFace);
    }

    /**
     * A jepa4j run or checkpoint directory ({@link RunEncoderLoader}).
     *
     * @param dir the directory, as executors see it (or its name under Spark's file root)
     * @return the spec
     */
    public static EncoderSpec jepa4jRun(String dir) {
        return new EncoderSpec("jepa4j", dir, RunEncoderLoader::of);
    }

    /**
     * Any other loader, e.g. {@link EncoderLoader#safeTensors} with a configuration rebuilt in the factory.
     *
     * @param kind a short name, part of the spec's identity ({@link #key()})
     * @param path the file or folder the factory reads
     * @param factory makes the loader from the resolved path (a serializable lambda)
     * @return the spec
     */
    public static EncoderSpec of(String kind, String path, LoaderFactory factory) {
        return new EncoderSpec(kind, path, factory);
    }

    /**
     * Resolves the path (as given, else under Spark's file root) and makes the loader.
     *
     * @return the loader
     * @throws NoSuchFileException naming both places when the path is in neither
     * @throws IOException if the factory fails
     */
    public EncoderLoader loader() throws IOException {
        Path resolved = resolve(path);
        EncoderLoader loader = factory.create(resolved);
        if (resolved.toString().equals(path)) {
            return loader;
        }
        // shipped with the job: describe it by the name it was given, not by this run's temporary folder, so that
        // the Parquet settings (and a resume) do not depend on where Spark unpacked it
        String description = loader.description().replace(resolved.toString(), path);
        return new EncoderLoader() {
            @Override
            public VisionTransformer load(NDManager manager) throws IOException {
                return loader.load(manager);
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    /**
     * Returns the path as this JVM finds it: as given, else under Spark's file root.
     *
     * @return the existing path
     * @throws NoSuchFileException naming both places when the path is in neither
     */
    public Path resolvedPath() throws NoSuchFileException {
        return resolve(path);
    }

    /**
     * The identity of the encoder in an executor JVM.
     *
     * @return {@code kind:path}
     */
    public String key() {
        return kind + ":" + path;
    }

    /**
     * The path as given.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    static Path resolve(String path) throws NoSuchFileException {
        Path p = Path.of(path);
        if (Files.exists(p)) {
            return p;
        }
        String root = null;
        try {
            root = SparkFiles.getRootDirectory();
        } catch (RuntimeException | LinkageError e) {
            // no SparkEnv in this JVM (plain library use): only the path as given counts
        }
        if (root != null && !p.isAbsolute()) {
            Path shipped = Path.of(root).resolve(path);
            if (Files.exists(shipped)) {
                return shipped;
            }
        }
        throw new NoSuchFileException(path, null, "encoder not found as given (working directory "
                + Path.of("").toAbsolutePath() + ")" + (root == null ? "" : " nor under Spark's file root " + root
                + " (spark-submit --files / --archives)"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncoderSpec s && s.kind.equals(kind) && s.path.equals(path);
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    @Override
    public String toString() {
        return key();
    }
}
