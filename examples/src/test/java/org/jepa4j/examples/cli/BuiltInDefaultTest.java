package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jepa4j.train.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jepa4j pretrain} without --data: synthetic videos, vjepa_tiny, then a report of where things are. */
class BuiltInDefaultTest {

    @TempDir
    Path dir;

    @Test
    void builtInDefaultGeneratesVideosTrainsAndReports() throws Exception {
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
    }
}
