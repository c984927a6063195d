package org.jepa4j.train.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.tensor.Autograd;
import org.jepa4j.core.world.AcPredictorConfig;
import org.jepa4j.core.world.ActionConditionedPredictor;
import org.jepa4j.train.optim.Gradients;
import org.junit.jupiter.api.Test;

/**
 * {@link WorldModelStep#losses} rolls out over a key/value cache, one frame per predictor pass; the reference
 * ({@code app/vjepa_droid/train.py}) runs the predictor on the whole growing sequence each rollout step. Both must give
 * the same losses and the same gradients (to float rounding), for long rollouts, the residual output, and a rollout
 * of one step; the reference loop is {@link WorldModelStep#referenceLosses}.
 */
class WorldModelStepTest {

    @Test
    void cachedRolloutEqualsTheReferenceLoopSixSteps() {
        assertCachedEqualsReference(false, 7, 6);
    }

    @Test
    void cachedRolloutEqualsTheReferenceLoopResidualPartialRollout() {
        assertCachedEqualsReference(true, 6, 3);
    }

    @Test
    void cachedRolloutEqualsTheReferenceLoopOneStep() {
        assertCachedEqualsReference(false, 3, 1);
    }

    private static void assertCachedEqualsReference(boolean residual, int frames, int autoSteps) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("img_size", 32);
        keys.put("patch_size", 16);
        keys.put("num_frames", 16);
        keys.put("tubelet_size", 2);
        keys.put("embed_dim", 24);
        keys.put("predictor_embed_dim", 24);
        keys.put("depth", 2);
        keys.put("num_heads", 2);
        keys.put("action_embed_dim", 2);
        keys.put("residual", residual);
        AcPredictorConfig cfg = AcPredictorConfig.fromMap(keys, "test");
        int hw = cfg.tokensPerFrame();
        long b = 3;
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor p = new ActionConditionedPredictor(cfg, m, 5);
            Map<String, NDArray> params = p.trainableParameters();
            for (NDArray w : params.values()) {
                w.setRequiresGradient(true);
            }
            m.getEngine().setRandomSeed(3);
            NDArray h = JepaLoss.layerNormNoAffine(m.randomNormal(new Shape(b, (long) frames * hw, 24))); // [B,T*HW,E]
            NDArray actions = m.randomNormal(new Shape(b, frames - 1, 2)); // [B, T-1, A]
            NDArray states = m.randomNormal(new Shape(b, frames, 2)); // [B, T, A]
            WorldModelStep step = new WorldModelStep(p, null, autoSteps, 1.0, true);

            double[] cached = lossesAndBackward(() -> step.losses(h, actions, states), params);
            Map<String, float[]> cachedGrads = grads(params);
            double[] reference = lossesAndBackward(() -> step.referenceLosses(h, actions, states), params);
            Map<String, float[]> referenceGrads = grads(params);

            assertEquals(reference[0], cached[0], 1e-6 * Math.abs(reference[0]) + 1e-7, "teacher-forcing loss");
            assertEquals(reference[1], cached[1], 1e-5 * Math.abs(reference[1]) + 1e-7, "rollout loss");
            double worst = 0;
            double scale = 0;
            for (String name : referenceGrads.keySet()) {
                float[] r = referenceGrads.get(name);
                float[] c = cachedGrads.get(name);
                for (int i = 0; i < r.length; i++) {
                    worst = Math.max(worst, Math.abs(r[i] - c[i]));
                    scale = Math.max(scale, Math.abs(r[i]));
                }
            }
            assertTrue(scale > 0, "the reference loop gave no gradient");
            assertTrue(worst <= 1e-4 * scale, "gradients differ by " + worst + " (largest gradient " + scale + ")");
        }
    }

    private static double[] lossesAndBackward(java.util.function.Supplier<NDArray[]> losses,
            Map<String, NDArray> params) {
        Gradients.zero(params);
        try (NDScope scope = new NDScope(); Autograd rec = Autograd.record()) {
            NDArray[] l = losses.get();
            Autograd.backward(l[0].add(l[1]));
            return new double[] {l[0].getFloat(), l[1].getFloat()};
        }
    }

    private static Map<String, float[]> grads(Map<String, NDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            out.put(e.getKey(), e.getValue().getGradient().toFloatArray());
        }
        return out;
    }
}
