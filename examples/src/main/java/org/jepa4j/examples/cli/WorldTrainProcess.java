package org.jepa4j.examples.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jepa4j world train} in a child JVM (the same {@code java} binary, class path and {@code -D}/{@code -X}
 * options as this one), so a second predictor trains beside one trained in this JVM: DJL allows one gradient
 * collector per JVM, and the demo's tiny predictors do not get faster with a second PyTorch thread, but two of them,
 * one thread each, train in the time of one. The child's output goes to a log file; {@link #close()} (and this JVM's
 * exit) ends a child still running.
 */
final class WorldTrainProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Path run;
    private final Thread killer;

    private WorldTrainProcess(Process process, Path log, Path run) {
        this.process = process;
        this.log = log;
        this.run = run;
        this.killer = new Thread(process::destroyForcibly, "world-train-child-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts {@code world train --data DATA --encoder ENCODER --out RUN --threads 1 --no-progress --set ...}.
     *
     * @param data the episode folder
     * @param encoder the frozen encoder's run
     * @param run the run directory to write
     * @param settings {@code section.key=value} overrides
     * @param log file receiving the child's standard output and error
     * @return the running child
     * @throws IOException if the process cannot be started
     */
    static WorldTrainProcess start(Path data, Path encoder, Path run, List<String> settings, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if ((a.startsWith("-D") || a.startsWith("-X")) && !a.startsWith("-Xrunjdwp") && !a.startsWith("-Xdebug")) {
                cmd.add(a); // heap size, the launcher's properties; never a debugger port
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Jepa4j.class.getName());
        cmd.addAll(List.of("world", "train", "--data", data.toAbsolutePath().toString(), "--encoder",
                encoder.toAbsolutePath().toString(), "--out", run.toAbsolutePath().toString(), "--threads", "1",
                "--no-progress"));
        for (String s : settings) {
            cmd.add("--set");
            cmd.add(s);
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        return new WorldTrainProcess(pb.start(), log, run);
    }

    /**
     * Waits for the child and returns the final total loss of its run ({@code metrics.csv}'s last row).
     *
     * @return the last step's loss
     * @throws IOException naming the log when the child failed, or if the metrics cannot be read
     * @throws InterruptedException if interrupted while waiting (the child is then ended by {@link #close()})
     */
    double awaitFinalLoss() throws IOException, InterruptedException {
        int code = process.waitFor();
        if (code != 0) {
            throw new IOException("'world train' for " + run + " (child JVM) failed with exit code " + code
                    + "; its log " + log + " ends with:\n" + tail(log, 20));
        }
        Path metrics = run.resolve("metrics.csv");
        List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            throw new IOException(metrics + " holds no step (child log: " + log + ")");
        }
        List<String> header = List.of(lines.get(0).split(","));
        int col = header.indexOf("loss");
        String[] last = lines.get(lines.size() - 1).split(",");
        if (col < 0 || col >= last.length) {
            throw new IOException(metrics + " has no 'loss' column");
        }
        return Double.parseDouble(last[col]);
    }

    private static String tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Ends the child if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
