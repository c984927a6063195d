package org.jepa4j.train.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jepa4j.train.config.OptimizationConfig;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.optim.TrainingSchedules;
import org.jepa4j.video.mask.MaskSet;

/**
 * Helpers shared by the PyTorch step-parity tests ({@link StepParityTest}, {@link IjepaStepParityTest},
 * {@link Vjepa2StepParityTest}): mask id
 * tensors as rows, and the weight comparison with its special tolerance for the attention key biases.
 */
final class ParityAsserts {

    /**
     * Tolerance of the key part of each {@code attn.qkv.bias}: softmax ignores the key bias, so its gradient is float32
     * rounding noise on both sides, which AdamW amplifies into different updates (see {@link StepParityTest}).
     */
    static final double KEY_BIAS_ABS_TOL = 1e-4;

    private ParityAsserts() {}

    /**
     * Configuration overrides of a fixture's {@code config}: the model sizes and the recipe (schedules, EMA) the
     * Python side used, CPU, fp32, after the test's own {@code specific} overrides.
     *
     * @param c the fixture's {@code config} object
     * @param specific the test's own overrides (data sizes, variant-specific keys)
     * @return all overrides
     */
    static List<String> overrides(JsonObject c, String... specific) {
        List<String> out = new ArrayList<>(List.of(specific));
        out.addAll(List.of(
                "model.embed_dim=" + c.get("width").getAsInt(), "model.depth=" + c.get("depth").getAsInt(),
                "model.num_heads=" + c.get("heads").getAsInt(),
                "model.pred_embed_dim=" + c.get("pred_width").getAsInt(),
                "model.pred_depth=" + c.get("pred_depth").getAsInt(),
                "model.pred_num_heads=" + c.get("pred_heads").getAsInt(),
                "optimization.ipe=" + c.get("ipe").getAsInt(), "optimization.epochs=" + c.get("epochs").getAsInt(),
                "optimization.ipe_scale=" + c.get("ipe_scale").getAsDouble(),
                "optimization.warmup=" + c.get("warmup").getAsDouble(),
                "optimization.start_lr=" + c.get("start_lr").getAsDouble(),
                "optimization.lr=" + c.get("lr").getAsDouble(),
                "optimization.final_lr=" + c.get("final_lr").getAsDouble(),
                "optimization.weight_decay=" + c.get("weight_decay").getAsDouble(),
                "optimization.final_weight_decay=" + c.get("final_weight_decay").getAsDouble(),
                "optimization.ema=[" + c.getAsJsonArray("ema").get(0).getAsDouble() + ", "
                        + c.getAsJsonArray("ema").get(1).getAsDouble() + "]",
                "meta.device=cpu", "meta.precision=fp32", "logging.folder=unused"));
        return out;
    }

    /**
     * Runs the fixture's steps exactly as the Trainer does ({@code Trainer.newStep} and its loop body, one device,
     * epoch 0) and checks each step's schedules, loss and per-set losses against the fixture.
     *
     * @param model the model, loaded with the fixture's initial weights
     * @param cfg the run's configuration
     * @param tokenIndex mask token of each mask set
     * @param batch the fixture's inputs and masks, the same for every step
     * @param expectedSteps the fixture's {@code steps}: {@code lr}, {@code wd}, {@code momentum}, {@code loss},
     *     per-set losses under {@code setLossesKey}, {@code encoder_grad_norm}, {@code predictor_grad_norm}
     * @param setLossesKey key of the per-set losses
     * @param report receives one line per step
     * @return each step's result, for the test's own checks
     */
    static List<StepResult> runTrainerSteps(JepaModel model, TrainConfig cfg, int[] tokenIndex, MicroBatch batch,
            JsonArray expectedSteps, String setLossesKey, StringBuilder report) {
        OptimizationConfig opt = cfg.optimization();
        TrainingSchedules schedules = TrainingSchedules.fromConfig(opt, opt.ipe());
        int epoch = 0;
        List<StepResult> results = new ArrayList<>();
        try (JepaStep step = JepaStep.builder().setModel(model).optLoss(cfg.loss()).optOptimization(opt)
                .optMaskTokenIndex(tokenIndex).build()) {
            for (int s = 0; s < expectedSteps.size(); s++) {
                JsonObject e = expectedSteps.get(s).getAsJsonObject();
                double lr = schedules.lr().step();
                double wd = schedules.wd().step();
                double momentum = schedules.momentum().step();
                boolean clip = opt.clipGrad() != null && (!opt.clipGradAfterWarmup() || epoch > opt.warmup());
                StepResult r = step.step(List.of(batch), lr, wd, momentum, clip);

                String which = " of step " + (s + 1);
                assertEquals(e.get("lr").getAsDouble(), lr, StepParityTest.SCHEDULE_TOL, "lr" + which);
                assertEquals(e.get("wd").getAsDouble(), wd, StepParityTest.SCHEDULE_TOL, "wd" + which);
                assertEquals(e.get("momentum").getAsDouble(), momentum, StepParityTest.SCHEDULE_TOL, "momentum" + which);
                assertFalse(r.skipped(), "step " + (s + 1) + " was skipped");
                double loss = e.get("loss").getAsDouble();
                double torchNorm = Math.hypot(e.get("encoder_grad_norm").getAsDouble(),
                        e.get("predictor_grad_norm").getAsDouble());
                report.append(String.format("step %d: loss %.9f (torch %.9f, rel %.2e), grad norm %.6g (torch %.6g)%n",
                        s + 1, r.loss(), loss, Math.abs(r.loss() - loss) / loss, r.gradNorm(), torchNorm));
                assertEquals(loss, r.loss(), StepParityTest.LOSS_REL_TOL * loss, "loss" + which);
                JsonArray sets = e.getAsJsonArray(setLossesKey);
                assertEquals(sets.size(), r.lossPerMaskSet().size(), "mask sets" + which);
                for (int i = 0; i < sets.size(); i++) {
                    double li = sets.get(i).getAsDouble();
                    assertEquals(li, r.lossPerMaskSet().get(i), StepParityTest.LOSS_REL_TOL * li,
                            "loss of mask set " + i + which);
                }
                results.add(r);
            }
        }
        return results;
    }

    /**
     * Own tolerances of the elements of one group that the fixture lists as ill-conditioned (float32 PyTorch differs
     * from the same steps in float64 PyTorch by more than a quarter of the tolerance): {@code tol + 2 |w32 - w64|},
     * i.e. as far from PyTorch's float32 value as that value is from the exact one, twice over, plus the tolerance.
     *
     * @param ill the fixture's {@code ill_conditioned} entries ({@code group}, {@code name}, {@code index},
     *     {@code numel}, {@code float32}, {@code float64})
     * @param group the weight group, e.g. {@code final_encoder}
     * @param tol the general tolerance
     * @param keyBiasesApart leave out key-bias elements (the caller gives them a tolerance of their own)
     * @param report receives one line per element
     * @return {@code name[index]} to its tolerance
     */
    static Map<String, Double> ownTolerances(JsonArray ill, String group, double tol, boolean keyBiasesApart,
            StringBuilder report) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < ill.size(); i++) {
            JsonObject e = ill.get(i).getAsJsonObject();
            String name = e.get("name").getAsString();
            int index = e.get("index").getAsInt();
            boolean key = keyBiasesApart && isKeyBias(name, index, e.get("numel").getAsLong());
            if (e.get("group").getAsString().equals(group) && !key) {
                double noise = Math.abs(e.get("float32").getAsDouble() - e.get("float64").getAsDouble());
                String where = name + "[" + index + "]";
                out.put(where, tol + 2 * noise);
                report.append(String.format("%s %s: torch float32 vs float64 %.3g, allowed %.3g%n", group, where,
                        noise, tol + 2 * noise));
            }
        }
        return out;
    }

    /** The fixture's mask sets: {@code context_i} / {@code target_i} id tensors for i = 0, 1, ... */
    static List<MaskSet> maskSets(Map<String, NDArray> inputs) {
        List<MaskSet> masks = new ArrayList<>();
        for (int i = 0; inputs.containsKey("context_" + i); i++) {
            masks.add(new MaskSet(rows(inputs.get("context_" + i)), rows(inputs.get("target_" + i))));
        }
        return masks;
    }

    /** Whether flat element {@code i} of parameter {@code name} is in the key part of an {@code attn.qkv.bias}. */
    static boolean isKeyBias(String name, int i, long numel) {
        return name.endsWith("attn.qkv.bias") && i >= numel / 3 && i < 2 * numel / 3;
    }

    /** int64 [B, K] ids as rows. */
    static long[][] rows(NDArray ids) {
        int b = (int) ids.getShape().get(0);
        int k = (int) ids.getShape().get(1);
        long[] flat = ids.toLongArray();
        long[][] out = new long[b][k];
        for (int r = 0; r < b; r++) {
            System.arraycopy(flat, r * k, out[r], 0, k);
        }
        return out;
    }

    /**
     * Asserts that every parameter of ours equals the reference tensor of the same name within {@code tol}; the
     * reference may also hold the fixed sin-cos tables, which we compute instead of storing.
     *
     * @return the largest absolute difference outside and inside the key biases
     */
    static double[] assertMatches(Map<String, NDArray> reference, Map<String, NDArray> ours, double tol,
            String what) {
        return assertMatches(reference, ours, tol, tol == 0 ? 0 : Math.max(tol, KEY_BIAS_ABS_TOL), what, Map.of());
    }

    /**
     * As {@link #assertMatches(Map, Map, double, String)} with an explicit tolerance for the key part of the
     * {@code attn.qkv.bias} tensors, and a tolerance of its own for some other elements, keyed
     * {@code name[flat index]}; each must be met, and they are left out of the maxima.
     *
     * @return the largest absolute difference outside and inside the key biases
     */
    static double[] assertMatches(Map<String, NDArray> reference, Map<String, NDArray> ours, double tol,
            double keyTol, String what, Map<String, Double> ownTolerance) {
        TreeSet<String> extra = new TreeSet<>(reference.keySet());
        extra.removeAll(ours.keySet());
        extra.removeIf(n -> n.equals("pos_embed") || n.equals("predictor_pos_embed"));
        assertTrue(extra.isEmpty(), what + ": reference tensors without a counterpart " + extra);
        double worst = 0;
        String worstName = null;
        double worstKeyBias = 0;
        String worstKeyBiasName = null;
        for (Map.Entry<String, NDArray> e : ours.entrySet()) {
            NDArray ref = reference.get(e.getKey());
            assertTrue(ref != null, what + ": no reference tensor '" + e.getKey() + "'");
            assertEquals(ref.getShape(), e.getValue().getShape(), what + " " + e.getKey());
            float[] a = ref.toFloatArray();
            float[] o = e.getValue().toFloatArray();
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs((double) a[i] - o[i]);
                Double own = ownTolerance.isEmpty() ? null : ownTolerance.get(e.getKey() + "[" + i + "]");
                if (own != null) {
                    assertTrue(d <= own, what + ": |difference| " + d + " at " + e.getKey() + "[" + i + "] exceeds "
                            + own);
                } else if (isKeyBias(e.getKey(), i, a.length)) { // qkv bias = [q (D), k (D), v (D)]
                    if (!(d <= worstKeyBias)) {
                        worstKeyBias = d;
                        worstKeyBiasName = e.getKey() + "[" + i + "]";
                    }
                } else if (!(d <= worst)) {
                    worst = d;
                    worstName = e.getKey() + "[" + i + "]";
                }
            }
        }
        assertTrue(worst <= tol, what + ": max |difference| " + worst + " at " + worstName + " exceeds " + tol);
        assertTrue(worstKeyBias <= keyTol, what + ": max |difference| of the key biases " + worstKeyBias + " at "
                + worstKeyBiasName + " exceeds " + keyTol);
        return new double[] {worst, worstKeyBias};
    }
}
