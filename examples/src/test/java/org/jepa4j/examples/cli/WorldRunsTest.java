package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WorldRuns#world}: a run plans in the two-room world its episodes were collected in. */
class WorldRunsTest {

    @TempDir
    Path dir;

    @Test
    void theWorldComesFromTheRunsEpisodes() throws Exception {
        Cli.Result straight = Cli.run("world", "collect", "--out", dir.resolve("straight"), "--episodes", 1,
                "--frames", 2, "--wide-glow", 0, "--glow-through-wall");
        assertEquals(0, straight.code(), straight.toString());
        Cli.Result around = Cli.run("world", "collect", "--out", dir.resolve("around"), "--episodes", 1,
                "--frames", 2);
        assertEquals(0, around.code(), around.toString());

        List<String> warnings = new ArrayList<>();
        assertEquals(TwoRoomSpec.straightGlow(), WorldRuns.world(run("a", dir.resolve("straight")), warnings::add));
        assertEquals(TwoRoomSpec.defaults(), WorldRuns.world(run("b", dir.resolve("around")), warnings::add));
        assertTrue(warnings.isEmpty(), warnings.toString());

        // episodes written before the glow could go around the wall have no glow_around_wall key
        Path old = dir.resolve("straight/ep_000000/episode.json");
        Files.writeString(old, Files.readString(old).replace(", \"glow_around_wall\": false, \"wide_glow\": 0.0", ""));
        assertEquals(TwoRoomSpec.straightGlow(), WorldRuns.world(run("c", dir.resolve("straight")), warnings::add));

        assertEquals(TwoRoomSpec.defaults(), WorldRuns.world(run("d", dir.resolve("gone")), warnings::add));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("gone") && warnings.get(0).contains("default"), warnings.get(0));
    }

    /** A run folder whose configuration names a data folder, as {@code world train} writes it. */
    private Path run(String name, Path data) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        Files.writeString(run.resolve("config.yaml"), "meta:\n  data: " + data.toAbsolutePath() + "\n");
        return run;
    }
}
