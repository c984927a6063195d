package org.jepa4j.train.step;

import static org.jepa4j.train.step.ParityAsserts.assertMatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.hf.ReferenceWeights;
import org.jepa4j.core.io.TorchCheckpoint;
import org.jepa4j.train.Trainer;
import org.jepa4j.train.TrainingData;
import org.jepa4j.train.config.OptimizationConfig;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.optim.TrainingSchedules;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.video.mask.MaskSet;
import org.junit.jupiter.api.Test;

/**
 * End-to-end parity of three V-JEPA optimizer steps with real PyTorch: {@code src/test/resources/parity/
 * make_step_fixture.py} trains a tiny V-JEPA 1 for three steps in PyTorch 1.13 following facebookresearch/jepa
 * (app/vjepa/train.py: loss, backward, clip_grad_norm_ per network, torch.optim.AdamW with the reference parameter
 * groups, warmup-cosine LR, cosine WD, linear EMA momentum with ipe/ipe_scale, EMA target update) and stores the
 * initial and final weights, the inputs and the per-step values. This test builds the same model from a
 * {@link TrainConfig} (preset {@code vjepa_tiny} shrunk), loads the initial weights, and runs the same three steps
 * through the code the {@link Trainer} uses ({@link TrainingSchedules#fromConfig}, {@link JepaStep#step}).
 *
 * <p>Tolerances (float32 on both sides, different libtorch versions and op orders): losses 1e-5 relative; schedule
 * values 1e-12 (both are double formulas); gradient norms 1e-5 relative; final weights 1e-5 absolute, except the
 * key part of each {@code attn.qkv.bias} (1e-4). The key bias adds {@code q . b_k} to every logit of a query's row,
 * which softmax ignores, so its gradient is zero in exact arithmetic and on both sides float32 rounding noise; AdamW
 * divides that noise by {@code sqrt(v) + eps} and turns it into updates of up to lr times noise / (noise + eps),
 * different on the two sides. Measured (PyTorch 1.13.0 vs DJL 0.36 / libtorch 2.7.1, CPU): loss rel. differences
 * <= 7e-8; weights <= 2.6e-6 outside the key biases, <= 3.1e-5 in them.
 */
class StepParityTest {

    private static final Path DIR = Path.of("src/test/resources/parity");
    private static final Path PT = DIR.resolve("step_fixture.pt");
    private static final Path JSON = DIR.resolve("step_fixture.json");

    static final double LOSS_REL_TOL = 1e-5;
    static final double SCHEDULE_TOL = 1e-12;
    static final double WEIGHT_ABS_TOL = 1e-5;
    static final double KEY_BIAS_ABS_TOL = ParityAsserts.KEY_BIAS_ABS_TOL;

    /** The fixture's model and recipe as a configuration: the vjepa_tiny preset shrunk to the Python sizes. */
    static TrainConfig config(JsonObject c) {
        return TrainConfig.preset("vjepa_tiny", ParityAsserts.overrides(c,
                "data.batch_size=2", "data.num_frames=" + c.get("frames").getAsInt(),
                "data.tubelet_size=" + c.get("tubelet").getAsInt(), "data.crop_size=" + c.get("size").getAsInt(),
                "data.patch_size=" + c.get("patch").getAsInt(),
                "model.num_mask_tokens=" + c.get("num_mask_tokens").getAsInt(),
                "model.uniform_power=true", "model.use_mask_tokens=true",
                "optimization.clip_grad=" + c.get("clip_grad").getAsDouble(),
                "optimization.clip_grad_after_warmup=false",
                "loss.loss_exp=" + c.get("loss_exp").getAsDouble()));
    }

    @Test
    void threeTrainingStepsMatchPyTorch() throws IOException {
        JsonObject fixture = JsonParser.parseString(Files.readString(JSON)).getAsJsonObject();
        TrainConfig cfg = config(fixture.getAsJsonObject("config"));
        OptimizationConfig opt = cfg.optimization();
        JsonArray expectedSteps = fixture.getAsJsonArray("steps");
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                JepaModel model = JepaModel.create(cfg, Device.cpu(), 0);
                TorchCheckpoint ckpt = TorchCheckpoint.open(PT)) {
            ReferenceWeights.load(model.encoder(), PT, "encoder", m);
            ReferenceWeights.load(model.predictor(), PT, "predictor", m);
            ReferenceWeights.load(model.targetEncoder(), PT, "target_encoder", m);
            // the optimizer's masters and the EMA state must be the loaded arrays (fp32: the same arrays)
            assertMatches(ckpt.loadStateDict("encoder", m), model.checkpointGroups().get(CheckpointLayout.ENCODER), 0,
                    "loaded encoder");
            assertMatches(ckpt.loadStateDict("target_encoder", m),
                    model.checkpointGroups().get(CheckpointLayout.TARGET_ENCODER), 0, "loaded target encoder");
            assertMatches(ckpt.loadStateDict("predictor", m), model.checkpointGroups().get(CheckpointLayout.PREDICTOR),
                    0, "loaded predictor");

            Map<String, NDArray> inputs = ckpt.loadStateDict("inputs", m);
            NDArray clips = inputs.get("clips"); // [B, C, T, H, W]
            List<MaskSet> masks = ParityAsserts.maskSets(inputs);
            assertEquals(2, masks.size());

            // exactly what Trainer does per step (Trainer.newStep and the loop body), on one device
            StringBuilder report = new StringBuilder();
            List<StepResult> results = ParityAsserts.runTrainerSteps(model, cfg,
                    TrainingData.maskTokenIndex(cfg, masks.size()), new MicroBatch(clips, masks), expectedSteps,
                    "set_losses", report);
            for (int s = 0; s < results.size(); s++) {
                // gradients before clipping: global norm = sqrt(encoder norm^2 + predictor norm^2)
                JsonObject e = expectedSteps.get(s).getAsJsonObject();
                double enc = e.get("encoder_grad_norm").getAsDouble();
                double pred = e.get("predictor_grad_norm").getAsDouble();
                double global = Math.hypot(enc, pred);
                assertEquals(global, results.get(s).gradNorm(), 1e-5 * global, "gradient norm of step " + (s + 1));
                assertTrue(enc > opt.clipGrad() && pred > opt.clipGrad(),
                        "the fixture must clip both networks in every step");
            }
            // the test can fail: PyTorch moved the weights far more than the tolerance
            double moved = assertMatches(ckpt.loadStateDict("final_encoder", m), ckpt.loadStateDict("encoder", m),
                    Double.POSITIVE_INFINITY, "PyTorch's own update")[0];
            assertTrue(moved > 100 * WEIGHT_ABS_TOL, "PyTorch moved the encoder by only " + moved);
            Map<String, Map<String, NDArray>> groups = model.checkpointGroups();
            double[] dEnc = assertMatches(ckpt.loadStateDict("final_encoder", m), groups.get(CheckpointLayout.ENCODER),
                    WEIGHT_ABS_TOL, "final encoder");
            double[] dPred = assertMatches(ckpt.loadStateDict("final_predictor", m), groups.get(CheckpointLayout.PREDICTOR),
                    WEIGHT_ABS_TOL, "final predictor");
            double[] dTgt = assertMatches(ckpt.loadStateDict("final_target_encoder", m),
                    groups.get(CheckpointLayout.TARGET_ENCODER), WEIGHT_ABS_TOL, "final target encoder");
            report.append(String.format("max |w - w_torch| (key biases apart): encoder %.3g (%.3g), predictor %.3g "
                    + "(%.3g), target %.3g (%.3g)%n", dEnc[0], dEnc[1], dPred[0], dPred[1], dTgt[0], dTgt[1]));
            System.out.print(report);
        }
    }
}
