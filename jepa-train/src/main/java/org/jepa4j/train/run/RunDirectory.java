package org.jepa4j.train.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jepa4j.train.config.TrainConfig;

/**
 * The folder of one training run:
 * <pre>
 *   root/
 *     config.yaml         resolved configuration
 *     metrics.csv|jsonl   one row per step
 *     checkpoints/        step-N/ directories and the latest pointer
 *     plots/              PNG charts
 * </pre>
 */
public final class RunDirectory {

    /** File name of the resolved configuration. */
    public static final String CONFIG_FILE = "config.yaml";

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root.toAbsolutePath();
    }

    /**
     * Creates (or reopens) a run directory with its {@code checkpoints/} and {@code plots/} folders.
     *
     * @param root the run folder
     * @return the run directory
     * @throws IOException if a folder cannot be created
     */
    public static RunDirectory create(Path root) throws IOException {
        RunDirectory r = new RunDirectory(root);
        Files.createDirectories(r.checkpointsDir());
        Files.createDirectories(r.plotsDir());
        return r;
    }

    /**
     * Creates the run directory named by {@code logging.folder} and writes the resolved configuration into it.
     *
     * @param config the resolved configuration
     * @return the run directory
     * @throws IOException if writing fails
     */
    public static RunDirectory create(TrainConfig config) throws IOException {
        RunDirectory r = create(Path.of(config.logging().folder()));
        r.writeConfig(config);
        return r;
    }

    /**
     * The run folder.
     *
     * @return the run folder
     */
    public Path root() {
        return root;
    }

    /**
     * The checkpoints folder.
     *
     * @return the checkpoints folder
     */
    public Path checkpointsDir() {
        return root.resolve("checkpoints");
    }

    /**
     * The plots folder.
     *
     * @return the plots folder
     */
    public Path plotsDir() {
        return root.resolve("plots");
    }

    /**
     * The resolved configuration file.
     *
     * @return the resolved configuration file
     */
    public Path configFile() {
        return root.resolve(CONFIG_FILE);
    }

    /**
     * The metrics file for a format.
     *
     * @param format {@code csv} or {@code jsonl}
     * @return {@code metrics.csv} or {@code metrics.jsonl} in the run folder
     */
    public Path metricsFile(String format) {
        if (!format.equals("csv") && !format.equals("jsonl")) {
            throw new IllegalArgumentException("metrics format must be csv or jsonl, got '" + format + "'");
        }
        return root.resolve("metrics." + format);
    }

    /**
     * Writes the resolved configuration atomically to {@link #configFile()}.
     *
     * @param config the resolved configuration
     * @throws IOException if it cannot be written
     */
    public void writeConfig(TrainConfig config) throws IOException {
        config.write(configFile());
    }

    /**
     * Reads {@link #configFile()} back.
     *
     * @return reads {@link #configFile()} back
     */
    public TrainConfig readConfig() throws IOException {
        return TrainConfig.load(configFile());
    }

    /**
     * A checkpointer over {@link #checkpointsDir()}.
     *
     * @param keepLast checkpoints to keep
     * @return the checkpointer
     * @throws IOException if the folder cannot be listed
     */
    public Checkpointer checkpointer(int keepLast) throws IOException {
        return new Checkpointer(checkpointsDir(), keepLast);
    }
}
