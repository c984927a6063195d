package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit codes and one-line messages: 0 for --help, 2 for usage errors, 1 for runtime failures naming the path. */
class UsageAndErrorsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"pretrain", "extract", "probe", "masks", "bench"})
    void everyCommandHasHelp(String command) {
        Cli.Result r = Cli.run(command, "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("Usage: jepa4j " + command), r.out());
        assertTrue(r.out().contains("Examples:"), r.out());
    }

    @Test
    void rootHelpListsTheCommands() {
        Cli.Result r = Cli.run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"pretrain", "extract", "probe", "masks", "bench"}) {
            assertTrue(r.out().contains("  " + c + " "), r.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "nonsense",
        "pretrain --bogus",
        "pretrain --steps 0",
        "pretrain --steps 2 --epochs 2",
        "pretrain --set novalue",
        "pretrain --device tpu",
        "pretrain --resume",
        "pretrain --resume --out r --init-from w",
        "extract --source videos --out x",
        "extract --run a --hf b --source videos --out x",
        "extract --hf b --out x",
        "extract --hf b --source v --out x --format parquet",
        "extract --hf b --source v --out x --no-tokens --no-pooled",
        "extract --hf b --source v --tensors t --out x",
        "extract --hf b --source v --out x --engine flink",
        "extract --hf b --source v --out x --master local[2]",
        "extract --hf b --source v --out x --partitions 4",
        "extract --engine spark --hf b --source v --out x --partitions 0",
        "extract --engine spark --hf b --tensors t --out x",
        "probe",
        "probe --features f --probe forest",
        "probe --features f --held-out 1.5",
        "masks --samples 0",
        "bench --only everything",
        "probe --features f --threads 0"
    })
    void usageErrorsExit2WithOneLine(String args) {
        Cli.Result r = Cli.run((Object[]) (args.isEmpty() ? new String[0] : args.split(" ")));
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("jepa4j"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingPathsExit1NamingThem() throws Exception {
        Path missing = dir.resolve("no-such-videos");
        assertFailsNaming(missing.toString(), "pretrain", "--data", missing, "--out", dir.resolve("run"));
        assertFailsNaming("nothere.yaml", "pretrain", "--config", "nothere.yaml", "--out", dir.resolve("run"));
        assertFailsNaming(missing.toString(), "extract", "--run", missing, "--source", dir, "--out", dir.resolve("f"));
        assertFailsNaming(missing.toString(), "extract", "--hf", missing, "--source", dir, "--out", dir.resolve("f"));
        assertFailsNaming(missing.toString(), "probe", "--features", missing);
        assertFailsNaming(dir.resolve("no-run").toString(), "pretrain", "--resume", "--out", dir.resolve("no-run"));
        assertFailsNaming(missing.toString(), "pretrain", "--init-from", missing, "--out", dir.resolve("run"));
        assertFailsNaming("nothere.safetensors", "extract", "--hf", Cli.HF_FIXTURE, "--tensors",
                "nothere.safetensors", "--out", dir.resolve("o.safetensors"));
    }

    @Test
    void unreadableConfigsAndUnknownModelDirsExit1NamingThem() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "data: [unclosed\n");
        assertFailsNaming("bad.yaml", "masks", "--config", bad);
        Path unknownKey = dir.resolve("typo.yaml");
        Files.writeString(unknownKey, "optimization:\n  lrr: 0.1\n");
        assertFailsNaming("lrr", "masks", "--config", unknownKey);
        assertFailsNaming("vjepa_tinyy", "masks", "--config", "vjepa_tinyy");
        Path notAModel = Files.createDirectories(dir.resolve("not-a-model"));
        assertFailsNaming(notAModel.toString(), "extract", "--hf", notAModel, "--source", dir, "--out",
                dir.resolve("f"));
        assertFailsNaming(notAModel.toString(), "extract", "--run", notAModel, "--source", dir, "--out",
                dir.resolve("f"));
        assertFailsNaming(notAModel.toString(), "probe", "--features", notAModel);
    }

    private static void assertFailsNaming(String what, Object... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(what), "message should name " + what + ": " + r.err());
    }
}
