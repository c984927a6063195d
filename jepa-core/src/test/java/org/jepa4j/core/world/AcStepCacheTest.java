package org.jepa4j.core.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The incremental (key/value-cached) pass of the action-conditioned predictor against the full block-causal pass:
 * feeding steps one at a time must give every step's output of the full pass, with and without extrinsics and
 * SwiGLU, up to the maximum number of steps; and a full cache or a batch change is refused by name.
 */
class AcStepCacheTest {

    @Test
    void stepByStepEqualsTheFullPass() throws Exception {
        assertStepsMatchFull(AcPredictorConfig.read(AcPredictorParityTest.DIR.resolve("ac_fixture.json")));
    }

    @Test
    void stepByStepEqualsTheFullPassWithExtrinsicsAndSwiGlu() throws Exception {
        assertStepsMatchFull(AcPredictorConfig.read(AcPredictorParityTest.DIR.resolve("ac_fixture_ext.json")));
    }

    private static void assertStepsMatchFull(AcPredictorConfig cfg) {
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor p = new ActionConditionedPredictor(cfg, m, 11);
            int t = cfg.maxSteps();
            int hw = cfg.tokensPerFrame();
            int a = cfg.actionEmbedDim();
            long b = 3;
            NDArray tokens = m.randomNormal(new Shape(b, (long) t * hw, cfg.embedDim())); // [B, T*HW, E]
            NDArray actions = m.randomNormal(new Shape(b, t, a)); // [B, T, A]
            NDArray states = m.randomNormal(new Shape(b, t, a));
            NDArray ext = cfg.useExtrinsics() ? m.randomNormal(new Shape(b, t, a - 1)) : null;
            NDArray full = p.forward(tokens, actions, states, ext); // [B, T*HW, E]
            AcStepCache cache = p.newStepCache();
            double worst = 0;
            for (int s = 0; s < t; s++) {
                String step = ":, " + s + ":" + (s + 1) + ", :";
                NDArray out = p.forwardStep(cache, tokens.get(":, " + s * hw + ":" + (s + 1) * hw + ", :"),
                        actions.get(step), states.get(step), ext == null ? null : ext.get(step)); // [B, HW, E]
                NDArray expected = full.get(":, " + s * hw + ":" + (s + 1) * hw + ", :");
                assertEquals(expected.getShape(), out.getShape());
                worst = Math.max(worst, out.sub(expected).abs().max().getFloat());
            }
            assertEquals(t, cache.steps());
            assertTrue(worst < 1e-5, "cached steps differ from the full pass by " + worst);
            IllegalArgumentException full1 = assertThrows(IllegalArgumentException.class,
                    () -> p.forwardStep(cache, tokens.get(":, :" + hw + ", :"), actions.get(":, :1, :"),
                            states.get(":, :1, :"), ext == null ? null : ext.get(":, :1, :")));
            assertTrue(full1.getMessage().contains("maximum"), full1.getMessage());
        }
    }

    @Test
    void aBatchChangeOrAWrongShapeIsNamed() throws Exception {
        AcPredictorConfig cfg = AcPredictorConfig.read(AcPredictorParityTest.DIR.resolve("ac_fixture.json"));
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor p = new ActionConditionedPredictor(cfg, m, 0);
            int hw = cfg.tokensPerFrame();
            AcStepCache cache = p.newStepCache();
            p.forwardStep(cache, m.zeros(new Shape(2, hw, 24)), m.zeros(new Shape(2, 1, 5)),
                    m.zeros(new Shape(2, 1, 5)), null);
            IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                    () -> p.forwardStep(cache, m.zeros(new Shape(3, hw, 24)), m.zeros(new Shape(3, 1, 5)),
                            m.zeros(new Shape(3, 1, 5)), null));
            assertTrue(batch.getMessage().contains("batch"), batch.getMessage());
            IllegalArgumentException tokens = assertThrows(IllegalArgumentException.class,
                    () -> p.forwardStep(p.newStepCache(), m.zeros(new Shape(2, hw + 1, 24)),
                            m.zeros(new Shape(2, 1, 5)), m.zeros(new Shape(2, 1, 5)), null));
            assertTrue(tokens.getMessage().contains("tokens of one step"), tokens.getMessage());
        }
    }
}
