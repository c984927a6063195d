package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code extract --engine spark} from the command line, and the promise that {@code extract} without it does not
 * load a single Spark (or Scala) class although Spark is on the classpath.
 */
class SparkEngineTest {

    @TempDir
    Path dir;

    @Test
    void extractWithoutTheSparkEngineLoadsNoSparkClass() throws Exception {
        Path videos = dir.resolve("videos");
        Cli.videosWithBrokenFile(videos, 2);
        Path out = dir.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-cp", System.getProperty("java.class.path"), SparkClassesProbe.class.getName(),
                "extract", "--hf", Cli.HF_FIXTURE.toString(), "--source", videos.toString(), "--out", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        int mark = log.indexOf(SparkClassesProbe.MARK);
        assertTrue(mark >= 0 && p.exitValue() == 0, "child JVM ran the command:\n" + tail(log));
        assertTrue(log.startsWith(SparkClassesProbe.MARK + "0", mark), "extract succeeded:\n" + tail(log));
        assertTrue(Files.exists(out.resolve("index.csv")), "the local engine extracted");
        for (String line : log.substring(0, mark).split("\n")) {
            assertTrue(!line.contains(" org.apache.spark.") && !line.contains(" scala."),
                    "extract without --engine spark loaded a Spark class: " + line);
        }
        assertTrue(log.substring(mark).contains("org.apache.spark.sql.SparkSession"),
                "the class-loading log shows Spark classes once one is loaded:\n" + tail(log));
    }

    @Test
    void extractWithTheSparkEngineWritesTheFileLayoutAndReportsTheBrokenFile() throws Exception {
        // the file layout (not Parquet, tested in jepa-spark) keeps this test to one short Spark job
        Path videos = dir.resolve("videos");
        Cli.videosWithBrokenFile(videos, 3);
        Path out = dir.resolve("features");
        Cli.Result r = Cli.run("extract", "--engine", "spark", "--master", "local[2]", "--hf", Cli.HF_FIXTURE,
                "--source", videos, "--out", out, "--format", "safetensors", "--workers", 1, "--partitions", 2);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("3 clips of 3/4 samples"), r.out());
        assertTrue(r.out().contains("1 file(s) could not be decoded") && r.out().contains("broken.mp4"), r.out());
        assertEquals(3, Cli.csvRows(out.resolve("index.csv")));
        assertEquals(1, Cli.csvRows(out.resolve("bad_files.csv")));
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
