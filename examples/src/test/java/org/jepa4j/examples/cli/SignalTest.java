package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT during {@code jepa4j pretrain} (a separate JVM running {@link Jepa4j#main}): the step finishes, a
 * checkpoint is written, the process exits 0 and says how to resume.
 */
class SignalTest {

    @TempDir
    Path dir;

    @Test
    void sigintCheckpointsAndExitsZero() throws Exception {
        Path videos = dir.resolve("videos");
        Cli.videosWithBrokenFile(videos, 8);
        Path run = dir.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                Jepa4j.class.getName(), "pretrain", "--data", videos.toString(), "--steps", "10000", "--out",
                run.toString(), "--set", "data.batch_size=4", "--set", "logging.log_freq=1", "--set",
                "logging.collapse_freq=0", "--set", "data.num_workers=1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        boolean signalled = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (!signalled && line.contains("step 2 ep 0")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    signalled = true;
                }
            }
        } finally {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String output = String.join("\n", lines);
        assertTrue(signalled, "training never reached step 2:\n" + output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("stopped at step") && output.contains("--resume"), output);
        try (var s = Files.list(run.resolve("checkpoints"))) {
            assertTrue(s.anyMatch(d -> d.getFileName().toString().startsWith("step-")
                    && Files.isRegularFile(d.resolve("state.json"))), "a checkpoint was written");
        }
        assertTrue(new File(run.resolve("checkpoints/latest").toString()).isFile());
    }
}
