package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jepa4j.train.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jepa4j pretrain} without --data: synthetic videos, vjepa_tiny, then a report of where things are and a
 * held-out direction probe (trained vs random init).
 */
class BuiltInDefaultTest {

    @TempDir
    Path dir;

    @Test
    void builtInDefaultGeneratesVideosTrainsReportsAndEvaluates() throws Exception {
        Path run = dir.resolve("default-run");
        Cli.Result r = Cli.run("pretrain", "--steps", 2, "--synthetic-videos", 8, "--out", run, "--set",
                "logging.collapse_freq=0", "--set", "data.num_workers=1");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("built-in default, writing 8 synthetic videos"), r.out());
        for (String shown : new String[] {"run directory", "checkpoint", "metrics", "plots", "config"}) {
            assertTrue(r.out().contains("  " + shown), shown + " missing from the report:\n" + r.out());
        }
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-000000002/state.json")));
        TrainConfig config = TrainConfig.load(run.resolve("config.yaml"));
        assertEquals("cpu", config.meta().device());
        assertEquals(96, config.model().embedDim(), "vjepa_tiny");
        assertTrue(config.data().datasets().isEmpty(), "the temporary data folder is not written into the config");
        assertEquals(32, config.data().cropSize(), "the built-in default trains on 32 px clips");

        // It ends with the held-out direction probe. 2 steps learn nothing: this checks that the evaluation runs,
        // prints and writes its numbers, not learning (ProofOfLearningTest in jepa-train asserts that).
        Matcher m = Pattern.compile("direction probe \\(held-out\\): trained ([01]\\.\\d\\d), random init "
                + "([01]\\.\\d\\d) \\(chance 0\\.50\\): \\S").matcher(r.out());
        assertTrue(m.find(), "no probe line in:\n" + r.out());
        Path file = run.resolve("evaluation.json");
        assertTrue(r.out().contains("  evaluation     " + file), r.out());
        JsonObject j = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        double trained = j.get("trained").getAsDouble();
        double random = j.get("random_init").getAsDouble();
        assertTrue(trained >= 0 && trained <= 1 && random >= 0 && random <= 1, j.toString());
        assertEquals(Double.parseDouble(m.group(1)), trained, 0.005, "printed and written values agree");
        assertEquals(Double.parseDouble(m.group(2)), random, 0.005, "printed and written values agree");
        assertEquals(8, j.get("held_out_clips").getAsInt(), "one clip per held-out video");
        assertEquals(8, j.get("train_clips").getAsInt(), "one clip per pretraining video");
        assertEquals(2, j.get("steps").getAsInt());
    }
}
