package org.jepa4j.core.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jepa4j's {@code residual} option of the action-conditioned predictor: off unless asked for (a reference
 * configuration reads and writes exactly as before), read from JSON and YAML, kept in the saved file; when on, the
 * output is the input tokens plus the reference predictor's output (same weights), and the cached step-by-step pass
 * still equals the full pass.
 */
class AcResidualTest {

    private static AcPredictorConfig fixture() throws Exception {
        return AcPredictorConfig.read(AcPredictorParityTest.DIR.resolve("ac_fixture.json"));
    }

    @Test
    void offByDefaultAndAbsentFromAReferenceConfiguration() throws Exception {
        AcPredictorConfig cfg = fixture();
        assertFalse(cfg.residual(), "a reference configuration has no residual output");
        assertFalse(cfg.toMap().containsKey("residual"), "the reference keys alone: " + cfg.toMap().keySet());
        assertFalse(AcPredictorConfig.released().residual());
        assertFalse(AcPredictorConfig.fromMap(Map.of("num_frames", 4), "no residual key").residual());
    }

    @Test
    void readFromJsonAndYamlAndKeptInTheSavedFile(@TempDir Path dir) throws Exception {
        AcPredictorConfig on = fixture().withResidual(true);
        assertTrue(on.toMap().containsKey("residual"));
        assertEquals(on, AcPredictorConfig.fromJson(on.toJson(), "json"));
        Path yaml = dir.resolve("p.yaml");
        Files.writeString(yaml, "img_size: [16, 12]\npatch_size: 4\nnum_frames: 8\nembed_dim: 24\n"
                + "predictor_embed_dim: 40\ndepth: 2\nnum_heads: 2\naction_embed_dim: 5\nresidual: true\n");
        assertEquals(on, AcPredictorConfig.read(yaml));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> AcPredictorConfig.fromJson("{\"residual\": 1}", "cfg.json"));
        assertTrue(bad.getMessage().contains("cfg.json") && bad.getMessage().contains("residual"), bad.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            Path file = dir.resolve("p.safetensors");
            new ActionConditionedPredictor(on, m, 3).save(file);
            assertTrue(ActionConditionedPredictor.load(file, m).config().residual());
        }
    }

    @Test
    void theOutputIsTheInputPlusTheReferenceOutputAndTheCacheMatchesTheFullPass() throws Exception {
        AcPredictorConfig off = fixture();
        AcPredictorConfig on = off.withResidual(true);
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor plain = new ActionConditionedPredictor(off, m, 11);
            ActionConditionedPredictor delta = new ActionConditionedPredictor(on, m, 11);
            int t = on.maxSteps();
            int hw = on.tokensPerFrame();
            long b = 2;
            NDArray tokens = m.randomNormal(new Shape(b, (long) t * hw, on.embedDim())); // [B, T*HW, E]
            NDArray actions = m.randomNormal(new Shape(b, t, on.actionEmbedDim())); // [B, T, A]
            NDArray states = m.randomNormal(new Shape(b, t, on.actionEmbedDim()));
            NDArray full = delta.forward(tokens, actions, states, null); // [B, T*HW, E]
            NDArray reference = plain.forward(tokens, actions, states, null);
            float gap = full.sub(tokens.add(reference)).abs().max().getFloat();
            assertTrue(gap < 1e-5, "residual output differs from tokens + reference output by " + gap);
            assertTrue(full.sub(reference).abs().mean().getFloat() > 0.1, "the residual path is not taken");
            AcStepCache cache = delta.newStepCache();
            double worst = 0;
            for (int s = 0; s < t; s++) {
                String step = ":, " + s + ":" + (s + 1) + ", :";
                String frame = ":, " + s * hw + ":" + (s + 1) * hw + ", :";
                NDArray out = delta.forwardStep(cache, tokens.get(frame), actions.get(step), states.get(step),
                        null); // [B, HW, E]
                worst = Math.max(worst, out.sub(full.get(frame)).abs().max().getFloat());
            }
            assertTrue(worst < 1e-5, "cached residual steps differ from the full pass by " + worst);
        }
    }
}
