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

/**
 * {@code world collect}, {@code world demo --quick} and {@code world plan --run <demo dir>}: the pipeline runs end
 * to end and both commands print the one JSON object of the issue with its keys.
 */
class WorldPlanningCommandsTest {

    @TempDir
    Path dir;

    @Test
    void collectWritesEpisodes() throws Exception {
        Cli.Result r = Cli.run("world", "collect", "--out", dir.resolve("data"), "--episodes", 6, "--frames", 4);
        assertEquals(0, r.code(), r.toString());
        JsonObject j = JsonParser.parseString(r.out().trim()).getAsJsonObject();
        assertEquals(6, j.get("episodes").getAsInt());
        assertTrue(Files.isRegularFile(dir.resolve("data/ep_000005/actions.csv")));
        assertEquals(4 + 1, Files.readAllLines(dir.resolve("data/ep_000005/states.csv")).size());
    }

    @Test
    void theDemoPlansWithWorldPlansDefaults() {
        WorldPlanCommand plan = new WorldPlanCommand();
        new picocli.CommandLine(plan).parseArgs("--run", "some/run");
        assertEquals(ToyWorldPlanning.Settings.builder().build(), plan.settings());
        assertEquals(plan.settings(), WorldDemoCommand.Recipe.full().planner());
        WorldPlanCommand fixed = new WorldPlanCommand();
        new picocli.CommandLine(fixed).parseArgs("--run", "some/run", "--goal-tolerance", "0.5", "--horizon", "3");
        ToyWorldPlanning.Settings s = fixed.settings();
        assertEquals(3, s.horizon());
        assertEquals(0.5, s.goalTolerance());
        assertEquals(0, s.goalRadius()); // a fixed tolerance replaces the measured one
    }

    @Test
    void quickDemoThenPlanOnItsOutput() throws Exception {
        Path demo = dir.resolve("demo");
        Cli.Result r = Cli.run("world", "demo", "--quick", "--out", demo, "--episodes", 2);
        assertEquals(0, r.code(), r.toString());
        String out = r.out();
        JsonObject j = JsonParser.parseString(out.substring(out.lastIndexOf("\n{") + 1).trim()).getAsJsonObject();
        checkKeys(j, 2);
        assertTrue(Files.isRegularFile(demo.resolve("plan/paths.png")));
        List<String> episodes = Files.readAllLines(demo.resolve("plan/episodes.csv"));
        assertEquals(3, episodes.size(), "a header and one line per task: " + episodes);
        assertTrue(episodes.get(0).startsWith("task,cross_room,door_y,start_x"), episodes.get(0));
        assertEquals(1, j.get("ensemble").getAsInt());
        assertTrue(j.getAsJsonObject("world").get("glow_around_wall").getAsBoolean(), "the demo's world");
        assertEquals(48.0, j.getAsJsonObject("world").get("wide_glow").getAsDouble(), 1e-9);
        assertEquals(8.0, j.getAsJsonObject("escape").get("weight").getAsDouble(), 1e-9, "the demo escapes");
        // the predictor on the trained encoder trained in a child JVM beside the baseline: its loss and log are there
        assertTrue(Double.isFinite(j.get("world_model_final_loss").getAsDouble()), j.toString());
        assertTrue(Files.readString(demo.resolve(WorldDemoCommand.WORLD_TRAIN_LOG)).contains("final loss"),
                "the child's log");

        Cli.Result again = Cli.run("world", "plan", "--run", demo, "--episodes", 2, "--seed", 3, "--horizon", 2,
                "--samples", 8, "--top-k", 2, "--iterations", 2, "--max-actions", 2, "--error-episodes", 2,
                "--noise-beta", 2, "--keep-elites", 0.5, "--sample-decay", 1.25, "--goal-tolerance", 0.01,
                "--perfect-model", 1);
        assertEquals(0, again.code(), again.toString());
        JsonObject p = JsonParser.parseString(again.out().trim()).getAsJsonObject();
        checkKeys(p, 2);
        JsonObject perfect = p.getAsJsonObject("perfect_model");
        assertEquals(1, perfect.get("tasks").getAsInt(), perfect.toString());
        assertTrue(perfect.has("success_rate") && perfect.has("model_success_rate"), perfect.toString());
        assertTrue(!j.has("perfect_model") || j.get("perfect_model").isJsonNull(), "the demo does not run it");
        assertTrue(p.getAsJsonObject("baselines").get("untrained_encoder").isJsonObject(),
                "the demo's untrained-encoder model is found");

        // the same predictor twice as an ensemble: every energy is the mean of two equal ones, so the same plans
        Cli.Result twice = Cli.run("world", "plan", "--run", demo, "--member", demo.resolve("world"), "--episodes", 2,
                "--seed", 3, "--horizon", 2, "--samples", 8, "--top-k", 2, "--iterations", 2, "--max-actions", 2,
                "--error-episodes", 2, "--noise-beta", 2, "--keep-elites", 0.5, "--sample-decay", 1.25,
                "--goal-tolerance", 0.01, "--escape", 0);
        assertEquals(0, twice.code(), twice.toString());
        JsonObject t = JsonParser.parseString(twice.out().trim()).getAsJsonObject();
        assertEquals(2, t.get("ensemble").getAsInt());
        assertEquals(p.getAsJsonObject("final_distance"), t.getAsJsonObject("final_distance"));
        assertEquals(p.get("success_rate"), t.get("success_rate"));
        Cli.Result mixed = Cli.run("world", "plan", "--run", demo, "--member", demo.resolve("world_untrained"),
                "--episodes", 2);
        assertTrue(mixed.code() != 0 && mixed.err().contains("share one encoder"), mixed.toString());

        Cli.Result wrong = Cli.run("world", "plan", "--run", demo, "--episodes", 2, "--keep-elites", 2);
        assertTrue(wrong.code() != 0 && wrong.err().contains("--keep-elites"), wrong.toString());
        Cli.Result noEscape = Cli.run("world", "plan", "--run", demo, "--episodes", 2, "--escape", -1);
        assertTrue(noEscape.code() != 0 && noEscape.err().contains("--escape >= 0"), noEscape.toString());

        Cli.Result bad = Cli.run("world", "plan", "--run", dir.resolve("missing"), "--episodes", 2);
        assertEquals(1, bad.code(), bad.toString());
        assertTrue(bad.err().contains("missing"), bad.err());
    }

    private static void checkKeys(JsonObject j, int episodes) {
        assertEquals(episodes, j.get("episodes").getAsInt());
        for (String k : new String[] {"success_rate", "ms_per_replan", "ms_per_episode"}) {
            assertTrue(j.has(k), k);
        }
        assertEquals(episodes, j.getAsJsonObject("same_room").get("episodes").getAsInt()
                + j.getAsJsonObject("cross_room").get("episodes").getAsInt());
        JsonObject b = j.getAsJsonObject("baselines");
        assertTrue(b.getAsJsonObject("random").has("success_rate"));
        assertTrue(b.getAsJsonObject("greedy").has("success_rate"));
        assertTrue(b.has("untrained_encoder"));
        assertTrue(j.getAsJsonObject("final_distance").has("mean"));
        assertTrue(j.has("passed_goal_rate") && j.has("ms_per_episode"), j.toString());
        assertTrue(b.getAsJsonObject("random").has("passed_goal_rate"));
        assertTrue(j.getAsJsonObject("prediction_error").getAsJsonArray("copy_last").size() > 0);
        JsonObject tracking = j.getAsJsonObject("rollout_tracking");
        assertEquals(6, tracking.getAsJsonArray("model_px").size(), tracking.toString());
        assertTrue(tracking.getAsJsonArray("hold_still_px").get(5).getAsDouble() > 0, tracking.toString());
    }
}
