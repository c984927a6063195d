package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.core.io.Npy;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.train.features.FeatureIndex;
import org.jepa4j.train.features.FeatureRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end on tiny settings: pretrain on generated videos (and resume), extract features from
 * that run and from the V-JEPA 2 fixture (also from a tensor file, checked against transformers), probe them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineTest {

    static final int VIDEOS = 12;

    @TempDir
    static Path dir;

    Path videos;
    Path run;

    @BeforeAll
    void videos() throws Exception {
        videos = dir.resolve("videos");
        Cli.videosWithBrokenFile(videos, VIDEOS);
        run = dir.resolve("run");
    }

    @Test
    @Order(1)
    void pretrainsThenRefusesToOverwriteThenResumes() throws Exception {
        Cli.Result r = Cli.run("pretrain", "--data", videos, "--steps", 3, "--out", run, "--set", "data.batch_size=4",
                "--set", "logging.collapse_freq=0", "--set", "data.num_workers=1");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("done, 3 steps"), r.out());
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-000000003/target_encoder.safetensors")));
        assertTrue(Files.isRegularFile(run.resolve("config.yaml")));
        assertTrue(Files.isRegularFile(run.resolve("plots/loss.png")), "loss plot");
        assertEquals(3, Cli.csvRows(run.resolve("metrics.csv")));
        assertFalse(r.out().contains("direction probe") || Files.exists(run.resolve("evaluation.json")),
                "--data runs have no direction labels: no built-in evaluation\n" + r.out());
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("ipe: 3"), "--steps 3 is one epoch of 3 iterations:\n" + config);

        Cli.Result again = Cli.run("pretrain", "--data", videos, "--steps", 3, "--out", run);
        assertEquals(1, again.code(), again.toString());
        assertTrue(again.err().contains("already holds checkpoints") && again.err().contains(run.toString()),
                again.err());

        Cli.Result resumed = Cli.run("pretrain", "--out", run, "--resume", "--data", videos, "--steps", 5);
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-000000005/target_encoder.safetensors")));
        assertEquals(5, Cli.csvRows(run.resolve("metrics.csv")), "steps 4 and 5 appended to the resumed run");
    }

    @Test
    @Order(2)
    void extractsFromTheRunBothFormatsAndReportsTheBrokenFile() throws Exception {
        Path out = dir.resolve("run-features");
        Cli.Result r = Cli.run("extract", "--run", run, "--source", videos, "--out", out, "--format", "both",
                "--batch", 4, "--workers", 1);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("1 file(s) could not be decoded") && r.out().contains("broken.mp4"), r.out());
        assertEquals(VIDEOS, Cli.csvRows(out.resolve("index.csv")));
        assertEquals(1, Cli.csvRows(out.resolve("bad_files.csv")));
        List<FeatureRecord> rows = FeatureIndex.read(out.resolve("index.csv"));
        FeatureRecord first = rows.get(0);
        // vjepa_tiny: 8 frames / tubelet 2 x (64 / 8)^2 = 256 tokens of width 96
        try (SafeTensorsReader st = SafeTensors.open(out.resolve(first.safetensors()))) {
            assertArrayEquals(new long[] {256, 96}, st.info("tokens").shape());
            assertArrayEquals(new long[] {96}, st.info("pooled").shape());
        }
        assertArrayEquals(new long[] {256, 96}, Npy.read(out.resolve(first.tokensNpy())).shape());

        // --resume after an interruption: only the sample whose file is gone is encoded again
        java.nio.file.Files.delete(out.resolve(first.safetensors()));
        Cli.Result resumed = Cli.run("extract", "--run", run, "--source", videos, "--out", out, "--format", "both",
                "--batch", 4, "--workers", 1, "--resume");
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains((VIDEOS - 1) + " samples kept from before"), resumed.out());
        assertTrue(java.nio.file.Files.exists(out.resolve(first.safetensors())));
        assertEquals(VIDEOS, Cli.csvRows(out.resolve("index.csv")));

        // a checkpoint directory (here the older one) works as --run too; pooled only
        Path older = dir.resolve("older-features");
        Cli.Result c = Cli.run("extract", "--run", run.resolve("checkpoints/step-000000003"), "--source", videos,
                "--out", older, "--no-tokens", "--workers", 1);
        assertEquals(0, c.code(), c.toString());
        assertTrue(c.out().contains("step-000000003"), c.out());
        try (SafeTensorsReader st = SafeTensors.open(older.resolve(first.safetensors()))) {
            assertEquals(List.of("pooled"), st.names());
            try (SafeTensorsReader newer = SafeTensors.open(out.resolve(first.safetensors()))) {
                float[] a = st.readFloats("pooled");
                float[] b = newer.readFloats("pooled");
                assertTrue(!java.util.Arrays.equals(a, b), "step 3 and step 5 target encoders differ");
            }
        }
        // resuming into a folder made with other settings is refused, naming them
        Cli.Result mixed = Cli.run("extract", "--run", run, "--source", videos, "--out", older, "--workers", 1,
                "--resume");
        assertEquals(1, mixed.code(), mixed.toString());
        assertTrue(mixed.err().contains("cannot resume") && mixed.err().contains("tokens: false -> true"),
                mixed.toString());
    }

    @Test
    @Order(3)
    void extractsFromTheHuggingFaceFixtureAndProbes() throws Exception {
        Path out = dir.resolve("hf-features");
        Cli.Result r = Cli.run("extract", "--hf", Cli.HF_FIXTURE, "--source", videos, "--out", out, "--batch", 8);
        assertEquals(0, r.code(), r.toString());
        assertEquals(VIDEOS, Cli.csvRows(out.resolve("index.csv")));
        List<FeatureRecord> rows = FeatureIndex.read(out.resolve("index.csv"));
        try (SafeTensorsReader st = SafeTensors.open(out.resolve(rows.get(0).safetensors()))) {
            assertArrayEquals(new long[] {32, 96}, st.info("tokens").shape(), "4 frames / 2 x 4 x 4 patches");
        }

        Path probes = dir.resolve("probes");
        Cli.Result p = Cli.run("probe", "--features", out, "--epochs", 3, "--out", probes);
        assertEquals(0, p.code(), p.toString());
        JsonObject json = JsonParser.parseString(Files.readString(probes.resolve("probe-results.json")))
                .getAsJsonObject();
        JsonArray list = json.getAsJsonArray("probes");
        assertEquals(2, list.size());
        for (int i = 0; i < 2; i++) {
            JsonObject o = list.get(i).getAsJsonObject();
            double top1 = o.get("heldOutTop1").getAsDouble();
            assertTrue(top1 >= 0 && top1 <= 1, "top-1 " + top1);
            assertEquals(2, o.get("numClasses").getAsInt());
            assertTrue(Files.isRegularFile(Path.of(o.get("file").getAsString())));
            assertTrue(p.out().contains(o.get("kind").getAsString()) && p.out().contains("held-out top-1"), p.out());
        }
        try (SafeTensorsReader st = SafeTensors.open(probes.resolve("probe-linear.safetensors"))) {
            assertEquals("2", st.metadata().get("num_classes"));
        }

        // labels from an index file: three classes by position
        Path labels = dir.resolve("labels.txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            lines.add(rows.get(i).path() + " " + (i % 3));
        }
        Files.write(labels, lines);
        Cli.Result relabelled = Cli.run("probe", "--features", out, "--probe", "linear", "--epochs", 2, "--labels",
                labels, "--out", dir.resolve("probes3"));
        assertEquals(0, relabelled.code(), relabelled.toString());
        assertTrue(relabelled.out().contains("3 classes"), relabelled.out());
        assertTrue(relabelled.out().contains("chance 0.3333"), relabelled.out());
    }

    @Test
    @Order(4)
    void tensorFileMatchesTransformersLastHiddenState() throws Exception {
        Path out = dir.resolve("out.safetensors");
        Path io = Cli.HF_FIXTURE.resolve("io.safetensors");
        Cli.Result r = Cli.run("extract", "--hf", Cli.HF_FIXTURE, "--tensors", io, "--out", out, "--batch", 1);
        assertEquals(0, r.code(), r.toString());
        try (SafeTensorsReader got = SafeTensors.open(out); SafeTensorsReader ref = SafeTensors.open(io)) {
            assertArrayEquals(new long[] {2, 32, 96}, got.info("last_hidden_state").shape());
            float[] a = got.readFloats("last_hidden_state");
            float[] b = ref.readFloats("encoder_last_hidden_state");
            assertEquals(b.length, a.length);
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            assertTrue(max < 1e-4, "max abs difference to transformers " + max);
        }
    }
}
