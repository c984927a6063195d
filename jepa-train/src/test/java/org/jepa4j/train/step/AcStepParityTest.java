package org.jepa4j.train.step;

import static org.jepa4j.train.step.ParityAsserts.assertMatches;
import static org.jepa4j.train.step.ParityAsserts.ownTolerances;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jepa4j.core.io.TorchCheckpoint;
import org.jepa4j.core.world.AcPredictorConfig;
import org.jepa4j.core.world.ActionConditionedPredictor;
import org.jepa4j.train.optim.AdamW;
import org.jepa4j.train.optim.CosineWdSchedule;
import org.jepa4j.train.optim.WsdSchedule;
import org.jepa4j.train.world.WorldModelStep;
import org.junit.jupiter.api.Test;

/**
 * Three optimizer steps of the V-JEPA 2-AC predictor against the same steps in PyTorch
 * ({@code src/test/resources/parity/make_ac_step_fixture.py}, following {@code app/vjepa_droid/train.py}): teacher
 * forcing plus a 3-step rollout, both L1 on layer-normed predictions, AdamW with the reference groups, no clipping,
 * the warmup-stable-decay learning rate over all three phases and the cosine weight decay. The predictor has a
 * 4 x 3 grid, head dim 20 (2 unrotated channels) and 5-D actions; its unused {@code extrinsics_encoder} gets no
 * gradient and must not move (no weight decay either).
 *
 * <p>Tolerances: losses 1e-5 relative, schedules 1e-12, gradient norm 1e-4 relative, final weights 1e-5 absolute;
 * the elements where PyTorch's float32 result differs from its float64 one by more than 2.5e-6 (listed in the
 * fixture) get {@code 1e-5 + 2 |w32 - w64|}, and the key part of each {@code attn.qkv.bias} gets 1e-4 (its
 * gradient is rounding noise where RoPE leaves a key channel unrotated).
 */
class AcStepParityTest {

    private static final Path DIR = Path.of("src/test/resources/parity");

    @Test
    void threeStepsMatchPyTorch() throws Exception {
        JsonObject fixture = JsonParser.parseString(Files.readString(DIR.resolve("ac_step_fixture.json")))
                .getAsJsonObject();
        JsonObject c = fixture.getAsJsonObject("config");
        Map<String, Object> predictorKeys = new java.util.LinkedHashMap<>();
        for (String k : new String[] {"img_size", "patch_size", "num_frames", "tubelet_size", "embed_dim",
            "predictor_embed_dim", "depth", "num_heads", "mlp_ratio", "action_embed_dim", "use_rope",
            "is_frame_causal", "use_extrinsics", "use_silu", "wide_silu"}) {
            predictorKeys.put(k, new com.google.gson.Gson().fromJson(c.get(k), Object.class));
        }
        AcPredictorConfig cfg = AcPredictorConfig.fromMap(predictorKeys, "ac_step_fixture.json");
        JsonArray steps = fixture.getAsJsonArray("steps");
        try (NDManager m = NDManager.newBaseManager(); TorchCheckpoint ckpt = TorchCheckpoint.open(
                DIR.resolve("ac_step_fixture.pt"))) {
            ActionConditionedPredictor p = new ActionConditionedPredictor(cfg, m, 99);
            org.jepa4j.core.hf.ReferenceWeights.load(p, ckpt, "predictor", m);
            Map<String, NDArray> in = ckpt.loadStateDict("inputs", m);
            Map<String, NDArray> expected = ckpt.loadStateDict("final_predictor", m);
            float[] extrinsicsBefore = p.parameters().get("extrinsics_encoder.weight").toFloatArray();
            WsdSchedule lr = new WsdSchedule(c.get("warmup_steps").getAsLong(), c.get("anneal_steps").getAsLong(),
                    c.get("total_steps").getAsLong(), c.get("start_lr").getAsDouble(), c.get("lr").getAsDouble(),
                    c.get("final_lr").getAsDouble());
            CosineWdSchedule wd = new CosineWdSchedule(c.get("weight_decay").getAsDouble(),
                    c.get("final_weight_decay").getAsDouble(), c.get("total_steps").getAsLong());
            try (AdamW opt = AdamW.builder().build(p.trainableParameters())) {
                WorldModelStep step = new WorldModelStep(p, opt, c.get("auto_steps").getAsInt(),
                        c.get("loss_exp").getAsDouble(), true);
                for (int i = 0; i < steps.size(); i++) {
                    JsonObject ref = steps.get(i).getAsJsonObject();
                    double l = lr.step();
                    double w = wd.step();
                    assertEquals(ref.get("lr").getAsDouble(), l, 1e-12, "lr of step " + (i + 1));
                    assertEquals(ref.get("wd").getAsDouble(), w, 1e-12, "wd of step " + (i + 1));
                    WorldModelStep.Result r = step.step(in.get("h"), in.get("actions"), in.get("states"), l, w);
                    assertFalse(r.skipped());
                    System.out.printf("step %d: loss %.6f (tf %.6f, rollout %.6f) vs pytorch %.6f; grad %.5g vs %.5g%n",
                            i + 1, r.loss(), r.teacherForcing(), r.rollout(), ref.get("loss").getAsDouble(),
                            r.gradNorm(), ref.get("grad_norm").getAsDouble());
                    assertRel(ref.get("loss_tf").getAsDouble(), r.teacherForcing(), 1e-5, "teacher forcing " + i);
                    assertRel(ref.get("loss_rollout").getAsDouble(), r.rollout(), 1e-5, "rollout " + i);
                    assertRel(ref.get("grad_norm").getAsDouble(), r.gradNorm(), 1e-4, "grad norm " + i);
                }
            }
            StringBuilder report = new StringBuilder();
            Map<String, Double> own = ownTolerances(fixture.getAsJsonArray("ill_conditioned"), "final_predictor",
                    1e-5, true, report);
            System.out.print(report);
            double[] worst = assertMatches(expected, p.parameters(), 1e-5, ParityAsserts.KEY_BIAS_ABS_TOL,
                    "final predictor", own);
            System.out.printf("final weights: max |java - pytorch| %.3g (key biases %.3g)%n", worst[0], worst[1]);
            float[] extrinsicsAfter = p.parameters().get("extrinsics_encoder.weight").toFloatArray();
            assertTrue(java.util.Arrays.equals(extrinsicsBefore, extrinsicsAfter), "unused extrinsics moved");
        }
    }

    private static void assertRel(double expected, double actual, double rel, String what) {
        assertTrue(Math.abs(expected - actual) <= rel * Math.abs(expected), what + ": expected " + expected + ", got "
                + actual);
    }
}
