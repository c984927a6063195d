package org.jepa4j.train.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.hf.ReferenceWeights;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.model.WeightMismatchException;
import org.jepa4j.train.TinyConfigs;
import org.jepa4j.train.Trainer;
import org.jepa4j.train.TrainingSummary;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.step.JepaModel;
import org.jepa4j.video.source.VideoSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meta.init_from}: starting a run from a Hugging Face model or from another run's checkpoint. */
class InitialWeightsTest {

    static final Path HF = Path.of("src/test/resources/hf/vjepa2-tiny").toAbsolutePath();
    static final double TOL = 1e-4;

    @TempDir
    static Path tmp;
    static VideoSource source;

    @BeforeAll
    static void videos() throws Exception {
        source = TinyConfigs.videos(tmp.resolve("videos"));
    }

    private static double maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void huggingFaceWeightsGiveTheReferenceOutputsAndTargetEqualsEncoder() throws Exception {
        TrainConfig cfg = TinyConfigs.vjepa2LikeHfFixture(tmp.resolve("unused").toString(), List.of());
        try (JepaModel model = JepaModel.create(cfg, Device.cpu(), 7);
                NDManager m = NDManager.newBaseManager(Device.cpu());
                SafeTensorsReader io = SafeTensors.open(HF.resolve("io.safetensors"))) {
            InitialWeights init = InitialWeights.resolve(HF);
            assertEquals(WeightSource.Kind.HUGGING_FACE, init.kind());
            init.applyTo(model);
            NDArray video = io.load("pixel_values_videos", m).transpose(0, 2, 1, 3, 4); // [B, C, T, H, W]
            NDArray out = model.encoder().forward(video); // [B, N, D]
            double d = maxAbsDiff(io.load("encoder_last_hidden_state", m), out);
            assertTrue(d < TOL, "encoder vs HF reference: max abs diff " + d);
            NDArray ctx = io.load("context_mask_0", m);
            NDArray tgt = io.load("target_mask_0", m);
            NDArray pred = model.predictor().forward(gather(out, ctx), ctx, tgt, 1); // [B, Nt, D]
            double p = maxAbsDiff(io.load("predictor_last_hidden_state", m), pred);
            assertTrue(p < TOL, "predictor vs HF reference: max abs diff " + p);
            Map<String, Map<String, NDArray>> g = model.checkpointGroups();
            for (Map.Entry<String, NDArray> e : g.get(CheckpointLayout.ENCODER).entrySet()) {
                assertEquals(e.getValue(), g.get(CheckpointLayout.TARGET_ENCODER).get(e.getKey()), e.getKey());
            }
        }
    }

    private static NDArray gather(NDArray x, NDArray ids) { // [B, N, D], [B, K] -> [B, K, D]
        long d = x.getShape().get(2);
        NDArray idx = ids.expandDims(2).repeat(2, d);
        return x.gather(idx, 1);
    }

    @Test
    void trainerStartsFromInitFromThenResumesItsOwnCheckpoint() throws Exception {
        Path run = tmp.resolve("from-hf");
        TrainConfig first = TinyConfigs.vjepa2LikeHfFixture(run.toString(),
                List.of("optimization.ipe=2", "optimization.epochs=1", "meta.init_from=" + HF));
        TrainingSummary a = Trainer.builder().setConfig(first).optSource(source).build().fit();
        assertEquals(2, a.steps());
        assertTrue(Double.isFinite(a.finalLoss()), "loss " + a.finalLoss());
        String yaml = Files.readString(run.resolve("config.yaml"));
        assertTrue(yaml.contains("init_from: " + HF), yaml);
        // the target encoder moved only by EMA from the HF encoder (random init would be ~0.02 away)
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                SafeTensorsReader target = SafeTensors.open(a.checkpoint().resolve("target_encoder.safetensors"));
                JepaModel hf = JepaModel.create(first, Device.cpu(), 1)) {
            InitialWeights.resolve(HF).applyTo(hf);
            Map<String, NDArray> t = target.loadAll(m);
            for (Map.Entry<String, NDArray> e : hf.checkpointGroups().get(CheckpointLayout.ENCODER).entrySet()) {
                double d = maxAbsDiff(e.getValue(), t.get(e.getKey()));
                assertTrue(d < 1e-4, e.getKey() + " moved " + d + " from the HF weights in 2 EMA steps");
            }
        }

        // a second fit on the same directory resumes from its own checkpoint, not from init_from
        TrainConfig second = TinyConfigs.vjepa2LikeHfFixture(run.toString(),
                List.of("optimization.ipe=2", "optimization.epochs=2", "meta.init_from=" + HF));
        TrainingSummary b = Trainer.builder().setConfig(second).optSource(source).build().fit();
        assertEquals(2, b.resumedFromStep());
        assertEquals(4, b.steps());
        assertTrue(Double.isFinite(b.finalLoss()));
    }

    @Test
    void initFromARunCheckpointReproducesItsWeightsExactly() throws Exception {
        Path run = tmp.resolve("earlier");
        TrainConfig cfg = TinyConfigs.vjepa(run.toString(), List.of("optimization.ipe=1", "optimization.epochs=1"));
        TrainingSummary s = Trainer.builder().setConfig(cfg).optSource(source).build().fit();
        for (Path from : List.of(run, s.checkpoint())) {
            InitialWeights init = InitialWeights.resolve(from);
            assertEquals(WeightSource.Kind.JEPA4J_RUN, init.kind());
            assertEquals(s.checkpoint().toAbsolutePath().normalize(), init.source());
            try (JepaModel model = JepaModel.create(cfg, Device.cpu(), 99);
                    NDManager m = NDManager.newBaseManager(Device.cpu())) {
                init.applyTo(model);
                for (Map.Entry<String, Map<String, NDArray>> g : model.checkpointGroups().entrySet()) {
                    try (SafeTensorsReader r = SafeTensors.open(s.checkpoint().resolve(g.getKey() + ".safetensors"))) {
                        Map<String, NDArray> saved = r.loadAll(m);
                        assertEquals(saved.keySet(), g.getValue().keySet(), g.getKey());
                        g.getValue().forEach((name, v) -> assertEquals(saved.get(name), v, g.getKey() + "." + name));
                    }
                }
            }
        }
    }

    @Test
    void referencePtCheckpointLoadsEncoderPredictorAndItsOwnTarget() throws Exception {
        // jepa-core's torch.save fixture (make_fixtures.py): encoder 16 x 2, patch 4, tubelet 2, 2 frames of 8 px,
        // predictor 8 x 1 with 2 mask tokens; encoder and target_encoder hold different values
        Path pt = Path.of("../jepa-core/src/test/resources/torch/vjepa_tiny.pt").toAbsolutePath();
        TrainConfig cfg = TinyConfigs.vjepa(tmp.resolve("unused").toString(), List.of("model.embed_dim=16",
                "model.num_heads=2", "model.pred_embed_dim=8", "model.pred_depth=1", "model.pred_num_heads=2",
                "model.num_mask_tokens=2", "data.num_frames=2", "data.crop_size=8", "data.patch_size=4"));
        InitialWeights init = InitialWeights.resolve(pt);
        assertEquals(WeightSource.Kind.REFERENCE_PT, init.kind());
        try (JepaModel model = JepaModel.create(cfg, Device.cpu(), 7);
                JepaModel direct = JepaModel.create(cfg, Device.cpu(), 8)) {
            init.applyTo(model);
            ReferenceWeights.load(direct.encoder(), pt, "encoder", direct.manager());
            ReferenceWeights.load(direct.targetEncoder(), pt, "target_encoder", direct.manager());
            ReferenceWeights.load(direct.predictor(), pt, "predictor", direct.manager());
            assertEquals(direct.encoder().parameters(), model.encoder().parameters());
            assertEquals(direct.targetEncoder().parameters(), model.targetEncoder().parameters());
            assertEquals(direct.predictor().parameters(), model.predictor().parameters());
            assertTrue(maxAbsDiff(model.encoder().parameters().get("norm.weight"),
                    model.targetEncoder().parameters().get("norm.weight")) > 1e-3, "target_encoder is its own entry");
        }
    }

    @Test
    void aMismatchedConfigNamesTheTensorsAndTheFile() throws Exception {
        TrainConfig deeper = TinyConfigs.vjepa2LikeHfFixture(tmp.resolve("unused").toString(),
                List.of("model.depth=3", "model.pred_embed_dim=64"));
        try (JepaModel model = JepaModel.create(deeper, Device.cpu(), 7)) {
            WeightMismatchException e = assertThrows(WeightMismatchException.class,
                    () -> InitialWeights.resolve(HF).applyTo(model));
            String msg = e.getMessage();
            assertTrue(msg.contains(HF.resolve("model.safetensors").toString()), msg);
            assertTrue(e.missing().contains("encoder.blocks.2.attn.qkv.weight"), msg);
            assertTrue(msg.contains("predictor.predictor_embed.weight: expected"), msg);
        }
        // sin-cos positions (variant vjepa) cannot take RoPE weights even though the shapes fit
        TrainConfig sincos = TinyConfigs.vjepa2LikeHfFixture(tmp.resolve("unused").toString(),
                List.of("model.variant=vjepa"));
        try (JepaModel model = JepaModel.create(sincos, Device.cpu(), 7)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InitialWeights.resolve(HF).applyTo(model));
            assertTrue(e.getMessage().contains("model.variant"), e.getMessage());
        }
    }

    @Test
    void badPathsAreNamed() throws IOException {
        Path missing = tmp.resolve("no-such-run");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> InitialWeights.resolve(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IOException e2 = assertThrows(IOException.class, () -> InitialWeights.resolve(empty));
        assertTrue(e2.getMessage().contains(empty.toString()), e2.getMessage());
    }
}
