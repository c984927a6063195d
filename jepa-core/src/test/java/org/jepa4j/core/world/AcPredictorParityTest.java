package org.jepa4j.core.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.nio.file.Path;
import java.util.Map;
import org.jepa4j.core.io.TorchCheckpoint;
import org.jepa4j.core.model.WeightMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action-conditioned predictor against PyTorch ({@code src/test/resources/world/make_ac_fixture.py}, itself
 * checked against the reference code): released-checkpoint layout with {@code module.backbone.} / {@code module.}
 * prefixes, a 4 x 3 grid, head dim 20 (2 unrotated channels), 3 of at most 4 steps, 5-D actions; and with
 * extrinsics and SwiGLU. Plus causality, jepa4j's own format and errors that name what is at fault.
 */
class AcPredictorParityTest {

    static final Path DIR = Path.of("src/test/resources/world");
    static final double TOLERANCE = 1e-4;

    @Test
    void releasedLayoutReproducesPyTorch() throws Exception {
        assertParity("ac_fixture");
    }

    @Test
    void extrinsicsAndSwiGluReproducePyTorch() throws Exception {
        assertParity("ac_fixture_ext");
    }

    private static void assertParity(String name) throws Exception {
        AcPredictorConfig cfg = AcPredictorConfig.read(DIR.resolve(name + ".json"));
        try (NDManager m = NDManager.newBaseManager(); TorchCheckpoint ckpt = TorchCheckpoint.open(
                DIR.resolve(name + ".pt"))) {
            ActionConditionedPredictor p = ActionConditionedPredictor.fromReference(DIR.resolve(name + ".pt"), cfg, m);
            Map<String, NDArray> in = ckpt.loadStateDict("inputs", m);
            NDArray expected = ckpt.loadStateDict("outputs", m).get("predictions");
            NDArray out = p.forward(in.get("tokens"), in.get("actions"), in.get("states"), in.get("extrinsics"));
            assertEquals(expected.getShape(), out.getShape());
            double diff = out.sub(expected).abs().max().getFloat();
            System.out.printf("%s: max |java - pytorch| = %.3g (tolerance %.0e)%n", name, diff, TOLERANCE);
            assertTrue(diff < TOLERANCE, name + ": max difference " + diff);
        }
    }

    @Test
    void changingTheLastActionLeavesEarlierStepsBitIdentical() throws Exception {
        AcPredictorConfig cfg = AcPredictorConfig.read(DIR.resolve("ac_fixture.json"));
        try (NDManager m = NDManager.newBaseManager(); TorchCheckpoint ckpt = TorchCheckpoint.open(
                DIR.resolve("ac_fixture.pt"))) {
            ActionConditionedPredictor p = ActionConditionedPredictor.fromReference(DIR.resolve("ac_fixture.pt"), cfg,
                    m);
            Map<String, NDArray> in = ckpt.loadStateDict("inputs", m);
            NDArray actions = in.get("actions"); // [B, T, A], T = 3
            NDArray changed = actions.duplicate();
            changed.set(new NDIndex(":, 2, :"), actions.get(":, 2, :").add(1.5f));
            NDArray a = p.forward(in.get("tokens"), actions, in.get("states"), null);
            NDArray b = p.forward(in.get("tokens"), changed, in.get("states"), null);
            int hw = cfg.tokensPerFrame();
            float[] earlierA = a.get(":, :" + 2 * hw + ", :").toFloatArray();
            float[] earlierB = b.get(":, :" + 2 * hw + ", :").toFloatArray();
            assertArrayEquals(earlierA, earlierB, 0f, "steps 0 and 1 must not see step 2's action");
            float lastDiff = a.get(":, " + 2 * hw + ":, :").sub(b.get(":, " + 2 * hw + ":, :")).abs().max()
                    .getFloat();
            assertTrue(lastDiff > 1e-3, "the last step must depend on its action, diff " + lastDiff);
        }
    }

    @Test
    void ownFormatRoundTripsConfigAndWeights(@TempDir Path tmp) throws Exception {
        AcPredictorConfig cfg = AcPredictorConfig.read(DIR.resolve("ac_fixture_ext.json"));
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor p = new ActionConditionedPredictor(cfg, m, 3);
            Path file = tmp.resolve("predictor.safetensors");
            p.save(file);
            ActionConditionedPredictor q = ActionConditionedPredictor.load(file, m);
            assertEquals(cfg, q.config());
            NDArray tokens = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 2L * cfg.tokensPerFrame(), 24));
            NDArray act = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 2, 5));
            NDArray ext = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 2, 4));
            float diff = p.forward(tokens, act, act, ext).sub(q.forward(tokens, act, act, ext)).abs().max()
                    .getFloat();
            assertEquals(0f, diff);
            assertTrue(q.trainableParameters().containsKey("extrinsics_encoder.weight"), "used extrinsics train");
        }
    }

    @Test
    void referenceInitializationRescalesBlockOutputs() {
        AcPredictorConfig small = new AcPredictorConfig(32, 32, 16, 4, 2, 32, 96, 3, 4, 4.0, 3, true, true, false,
                false, true);
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor p = new ActionConditionedPredictor(small, m, 1);
            Map<String, NDArray> params = p.parameters();
            double qkv = params.get("predictor_blocks.2.attn.qkv.weight").toType(ai.djl.ndarray.types.DataType.FLOAT64,
                    false).pow(2).mean().sqrt().getDouble();
            double proj = params.get("predictor_blocks.2.attn.proj.weight").toType(
                    ai.djl.ndarray.types.DataType.FLOAT64, false).pow(2).mean().sqrt().getDouble();
            assertEquals(0.02, qkv, 0.002);
            assertEquals(0.02 / Math.sqrt(6), proj, 0.002);
            assertEquals(0.0, params.get("action_encoder.bias").abs().sum().getFloat());
            assertFalse(params.get("extrinsics_encoder.weight").hasGradient(), "unused extrinsics stay frozen");
            assertEquals(7, AcPredictorConfig.released().actionEmbedDim());
            assertEquals(32, AcPredictorConfig.released().maxSteps());
        }
    }

    @Test
    void mismatchedCheckpointNamesEveryTensorAtFault() throws Exception {
        AcPredictorConfig cfg = AcPredictorConfig.read(DIR.resolve("ac_fixture.json")).withActionEmbedDim(7);
        try (NDManager m = NDManager.newBaseManager()) {
            WeightMismatchException e = assertThrows(WeightMismatchException.class,
                    () -> ActionConditionedPredictor.fromReference(DIR.resolve("ac_fixture.pt"), cfg, m));
            assertEquals(3, e.misshaped().size(), e.getMessage());
            assertTrue(e.getMessage().contains("action_encoder.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("state_encoder.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("extrinsics_encoder.weight"), e.getMessage());
        }
    }

    @Test
    void inputsThatDoNotFitAreNamed() throws Exception {
        AcPredictorConfig cfg = AcPredictorConfig.read(DIR.resolve("ac_fixture.json"));
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor p = new ActionConditionedPredictor(cfg, m, 0);
            int hw = cfg.tokensPerFrame();
            NDArray five = m.zeros(new ai.djl.ndarray.types.Shape(1, 5L * hw, 24));
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> p.forward(five, m.zeros(new ai.djl.ndarray.types.Shape(1, 5, 5)),
                            m.zeros(new ai.djl.ndarray.types.Shape(1, 5, 5)), null));
            assertTrue(tooLong.getMessage().contains("maximum 4"), tooLong.getMessage());
            NDArray two = m.zeros(new ai.djl.ndarray.types.Shape(1, 2L * hw, 24));
            IllegalArgumentException badActions = assertThrows(IllegalArgumentException.class,
                    () -> p.forward(two, m.zeros(new ai.djl.ndarray.types.Shape(1, 2, 7)),
                            m.zeros(new ai.djl.ndarray.types.Shape(1, 2, 5)), null));
            assertTrue(badActions.getMessage().startsWith("actions must be [1, 2, 5]"), badActions.getMessage());
        }
    }

    @Test
    void configReadsJsonAndYamlAndNamesBadKeys(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("p.yaml");
        java.nio.file.Files.writeString(yaml, "img_size: 64\npatch_size: 16\nnum_frames: 8\nembed_dim: 48\n"
                + "predictor_embed_dim: 36\ndepth: 1\nnum_heads: 3\naction_embed_dim: 2\n");
        AcPredictorConfig c = AcPredictorConfig.read(yaml);
        assertEquals(4, c.gridHeight());
        assertEquals(4, c.maxSteps());
        assertEquals(12, c.headDim());
        assertEquals(c, AcPredictorConfig.fromJson(c.toJson(), "round trip"));
        Path bad = tmp.resolve("bad.json");
        java.nio.file.Files.writeString(bad, "{\"img_size\": [16, 12], \"patch_size\": 4, \"actoin_dim\": 3}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AcPredictorConfig.read(bad));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("actoin_dim"), e.getMessage());
    }
}
