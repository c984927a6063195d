package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.io.TorchCheckpoint;
import org.jepa4j.video.synthetic.DiscWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jepa4j world predict} reproduces the PyTorch fixture of the action-conditioned predictor from the command
 * line; {@code jepa4j world train} trains on an episode folder with the tiny Hugging Face V-JEPA 2 fixture as the
 * frozen encoder, and its run directory is usable by {@code world predict}.
 */
class WorldCommandTest {

    static final Path FIXTURES = Path.of("../jepa-core/src/test/resources/world");

    @Test
    void predictReproducesThePyTorchFixture(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.safetensors");
        Path out = dir.resolve("out.safetensors");
        try (NDManager m = NDManager.newBaseManager();
                TorchCheckpoint ckpt = TorchCheckpoint.open(FIXTURES.resolve("ac_fixture.pt"))) {
            SafeTensors.write(in, ckpt.loadStateDict("inputs", m), Map.of());
            Cli.Result r = Cli.run("world", "predict", "--weights", FIXTURES.resolve("ac_fixture.pt"), "--config",
                    FIXTURES.resolve("ac_fixture.json"), "--tensors", in, "--out", out, "--device", "cpu",
                    "--batch", "1");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().contains("predictions (2, 36, 24)"), r.out());
            NDArray expected = ckpt.loadStateDict("outputs", m).get("predictions");
            try (SafeTensorsReader reader = SafeTensors.open(out)) {
                NDArray got = reader.load("predictions", m);
                double diff = got.sub(expected).abs().max().getFloat();
                System.out.printf("world predict: max |cli - pytorch| = %.3g%n", diff);
                assertTrue(diff < 1e-4, "max difference " + diff);
            }
        }
        Cli.Result noConfig = Cli.run("world", "predict", "--weights", FIXTURES.resolve("ac_fixture.pt"), "--tensors",
                in, "--out", out);
        assertEquals(1, noConfig.code(), noConfig.toString());
        assertTrue(noConfig.err().contains("holds no predictor configuration"), noConfig.err());
    }

    @Test
    void trainWritesARunThatPredictLoads(@TempDir Path dir) throws Exception {
        DiscWorld.write(dir.resolve("episodes"), new DiscWorld.Spec(3, 6, 64, 9, 8, 5));
        DiscWorld.write(dir.resolve("held_out"), new DiscWorld.Spec(1, 6, 64, 9, 8, 6));
        Path run = dir.resolve("run");
        Object[] train = {"world", "train", "--data", dir.resolve("episodes"), "--encoder", Cli.HF_FIXTURE, "--out",
            run, "--cache", "--no-progress", "--eval", dir.resolve("held_out"), "--set", "optimization.epochs=1",
            "--set", "optimization.ipe=3", "--set", "data.batch_size=2", "--set", "data.clip_frames=3",
            "--set", "model.predictor_embed_dim=24", "--set", "model.depth=1", "--set", "model.num_heads=2",
            "--device", "cpu"};
        Cli.Result r = Cli.run(train);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("jepa4j world train: 3 of 3 steps"), r.out());
        assertTrue(r.out().contains("held-out") && r.out().contains("copy-last"), r.out());
        assertTrue(Files.isRegularFile(run.resolve("metrics.csv")) && Files.isRegularFile(run.resolve(
                "predictor.json")) && Files.isDirectory(run.resolve("feature_cache")), r.out());
        assertEquals(3, Cli.csvRows(run.resolve("metrics.csv")));

        Path in = dir.resolve("in.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            SafeTensors.write(in, Map.of("tokens", m.randomNormal(new ai.djl.ndarray.types.Shape(1, 2 * 16, 96)),
                    "actions", m.zeros(new ai.djl.ndarray.types.Shape(1, 2, 2)),
                    "states", m.zeros(new ai.djl.ndarray.types.Shape(1, 2, 2))), Map.of());
        }
        Cli.Result p = Cli.run("world", "predict", "--weights", run, "--tensors", in, "--out",
                dir.resolve("out.safetensors"));
        assertEquals(0, p.code(), p.toString());
        assertTrue(p.out().contains("predictions (1, 32, 96)"), p.out());

        Cli.Result bad = Cli.run("world", "train", "--data", dir.resolve("episodes"), "--encoder", Cli.HF_FIXTURE,
                "--out", dir.resolve("run2"), "--set", "optimization.epochz=1");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("unknown setting 'optimization.epochz'"), bad.err());
        assertEquals(2, Cli.run("world").code());
    }
}
