package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhysicsCommandTest {

    @TempDir
    Path dir;

    private static JsonObject json(Cli.Result r) {
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, "one JSON object on stdout: " + r);
        return JsonParser.parseString(lines[0]).getAsJsonObject();
    }

    @Test
    void syntheticBenchmarkWithAHuggingFaceModel() throws Exception {
        Path out = dir.resolve("eval");
        Cli.Result r = Cli.run("physics", "--hf", Cli.HF_FIXTURE, "--synthetic", "--pairs-per-type", 2, "--types",
                "vanish,teleport", "--frames", 20, "--random-seeds", 2, "--out", out, "--threads", 1);
        assertEquals(0, r.code(), r.toString());
        JsonObject j = json(r);
        assertEquals(6, j.get("pairs").getAsInt()); // vanish: 2 quadruplets of 2 pairs; teleport: 2 pairs
        assertEquals(4, j.get("groups").getAsInt());
        assertEquals(List.of("vanish", "teleport"), List.copyOf(j.getAsJsonObject("by_type").keySet()));
        JsonObject vanish = j.getAsJsonObject("by_type").getAsJsonObject("vanish");
        assertEquals(4, vanish.get("pairs").getAsInt());
        assertEquals(2, vanish.get("groups").getAsInt());
        assertTrue(vanish.has("pair_level_accuracy"), vanish.toString());
        assertTrue(vanish.get("ties").getAsInt() >= 0 && vanish.get("ties").getAsInt() <= 2, vanish.toString());
        assertTrue(!j.getAsJsonObject("by_type").getAsJsonObject("teleport").has("groups"), "ungrouped: as before");
        JsonObject random = j.getAsJsonObject("baselines").getAsJsonObject("random_init");
        assertEquals(2, random.get("seeds").getAsInt());
        assertTrue(j.getAsJsonObject("baselines").getAsJsonObject("pixel").has("auroc"));
        assertEquals("[2]", j.get("context_frames").toString()); // 4-frame clips: only C = 2 fits
        double acc = j.get("pairwise_accuracy").getAsDouble();
        assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
        assertTrue(Files.size(out.resolve("curves/0000_vanish.png")) > 1000);
        assertTrue(Files.readString(out.resolve("curves/0000_vanish_possible.csv"))
                .startsWith("window_start,window_end,surprise_c2,surprise\n"));
        assertTrue(Files.isRegularFile(out.resolve("benchmark/pairs.csv")));

        // a pair that differs from the first frame is reported and left out, not scored
        Path csv = Files.writeString(out.resolve("benchmark/mixed.csv"), "possible,impossible,type\n"
                + "vanish/0000_possible.mp4,vanish/0000_impossible.mp4,vanish\n"
                + "vanish/0000_possible.mp4,teleport/0001_impossible.mp4,vanish\n");
        Cli.Result mixed = Cli.run("physics", "--hf", Cli.HF_FIXTURE, "--pairs", csv, "--random-seeds", 0,
                "--threads", 1);
        assertEquals(0, mixed.code(), mixed.toString());
        assertEquals(1, json(mixed).get("pairs").getAsInt());
        assertTrue(json(mixed).getAsJsonObject("baselines").getAsJsonObject("random_init").get("pairwise_accuracy")
                .isJsonNull(), "no seeds: no random-init accuracy"); // null, not NaN (invalid JSON)
        assertTrue(mixed.err().contains("differ from the first frame"), mixed.err());

        Cli.Result single = Cli.run("physics", "--hf", Cli.HF_FIXTURE, "--videos",
                out.resolve("benchmark/vanish/0000_possible.mp4"), "--threads", 1);
        assertEquals(0, single.code(), single.toString());
        JsonObject v = json(single).getAsJsonArray("videos").get(0).getAsJsonObject();
        assertEquals(9, v.get("windows").getAsInt()); // 20 frames, windows of 4 every 2 frames
        assertTrue(v.get("max_surprise").getAsDouble() >= v.get("mean_surprise").getAsDouble());
    }

    @Test
    void badPairsFilesAndUsage() throws Exception {
        Path csv = Files.writeString(dir.resolve("pairs.csv"), "possible,impossibl\na.mp4,b.mp4\n");
        Cli.Result r = Cli.run("physics", "--hf", Cli.HF_FIXTURE, "--pairs", csv);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("missing column 'impossible'"), r.err());
        Files.writeString(dir.resolve("a.mp4"), "x");
        Path missing = Files.writeString(dir.resolve("missing.csv"), "possible,impossible\na.mp4,b.mp4\n");
        Cli.Result m = Cli.run("physics", "--hf", Cli.HF_FIXTURE, "--pairs", missing);
        assertEquals(1, m.code(), m.toString());
        assertTrue(m.err().contains("b.mp4") && m.err().contains("impossible video not found"), m.err());
        Cli.Result none = Cli.run("physics", "--hf", Cli.HF_FIXTURE);
        assertEquals(2, none.code(), none.toString());
        assertTrue(none.err().contains("exactly one of --pairs"), none.err());
        Cli.Result noModel = Cli.run("physics", "--pairs", csv);
        assertEquals(2, noModel.code(), noModel.toString());
        Cli.Result badContext = Cli.run("physics", "--hf", Cli.HF_FIXTURE, "--videos", dir.resolve("a.mp4"),
                "--context", "3");
        assertEquals(1, badContext.code(), badContext.toString());
        assertTrue(badContext.err().contains("context length 3"), badContext.err());
    }

    @Test
    void aRunIsScoredWithTheContextItsRecipeNames() throws Exception {
        Path train = dir.resolve("train");
        Cli.Result w = Cli.run("physics", "--write-training", train, "--count", 4, "--frames", 24);
        assertEquals(0, w.code(), w.toString());
        Path run = dir.resolve("run");
        Cli.Result p = Cli.run("pretrain", "--data", train, "--config", "physics_tiny", "--steps", 1, "--out", run,
                "--set", "data.batch_size=2", "--set", "eval.physics_context=[4]", "--threads", 1);
        assertEquals(0, p.code(), p.toString());
        Path video = train.resolve("possible_00000.mp4");
        Cli.Result fromRecipe = Cli.run("physics", "--run", run, "--videos", video, "--threads", 1);
        assertEquals(0, fromRecipe.code(), fromRecipe.toString());
        assertEquals("[4]", json(fromRecipe).get("context_frames").toString()); // not the library default [2,4,6]
        assertTrue(json(fromRecipe).getAsJsonArray("videos").get(0).getAsJsonObject().get("max_surprise")
                .getAsDouble() > 0);
        Cli.Result given = Cli.run("physics", "--run", run, "--videos", video, "--context", "2,6", "--threads", 1);
        assertEquals(0, given.code(), given.toString());
        assertEquals("[2,6]", json(given).get("context_frames").toString());
    }

    @Test
    void syntheticBenchmarkLeavesAWindowAtTheFrameStep() throws Exception {
        // 4-frame clips at frame step 3 span (4 - 1) * 3 + 1 = 10 raw frames: in 24-frame videos the violations fall
        // in [12, 24 - 10) and at least one window follows each (4 frames * 3 = 12 would not fit 24 frames at all)
        Path out = dir.resolve("step3");
        Cli.Result r = Cli.run("physics", "--hf", Cli.HF_FIXTURE, "--synthetic", "--pairs-per-type", 2, "--types",
                "teleport", "--frames", 24, "--frame-step", 3, "--random-seeds", 0, "--out", out, "--threads", 1);
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, json(r).get("pairs").getAsInt());
        List<String> rows = Files.readAllLines(out.resolve("benchmark/pairs.csv"));
        for (String row : rows.subList(1, rows.size())) {
            int violation = Integer.parseInt(row.split(",")[3]);
            assertTrue(violation >= 12 && violation < 14, row);
        }
    }
}
