package org.jepa4j.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.PredictorConfig;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.core.model.WeightMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state dict with the reference names (DDP prefix, sin-cos buffer) loads and reproduces the model. */
class ReferenceWeightsTest {

    @Test
    void referenceNamedStateDictLoads(@TempDir Path dir) throws Exception {
        VitConfig cfg = VitConfig.builder().setWidth(32).setDepth(2).setNumHeads(2).optFrames(4).optImageSize(32)
                .optPatchSize(16).optPositionKind(PositionKind.SINCOS_3D).build();
        try (NDManager m = NDManager.newBaseManager()) {
            VisionTransformer source = new VisionTransformer(cfg, m, 7);
            Map<String, NDArray> dict = new LinkedHashMap<>();
            source.parameters().forEach((k, v) -> dict.put("module.backbone." + k, v));
            dict.put("module.backbone.pos_embed", m.zeros(new Shape(1, cfg.numTokens(), 32))); // reference buffer
            Path file = dir.resolve("target_encoder.safetensors");
            SafeTensors.write(file, dict, Map.of());

            VisionTransformer loaded = new VisionTransformer(cfg, m, 99);
            ReferenceWeights.load(loaded, file, m);
            NDArray video = m.randomNormal(new Shape(1, 3, 4, 32, 32));
            float diff = source.forward(video).sub(loaded.forward(video)).abs().max().getFloat();
            assertEquals(0f, diff, 1e-6f);

            dict.put("module.backbone.blocks.2.norm1.weight", m.ones(new Shape(32)));
            SafeTensors.write(file, dict, Map.of());
            WeightMismatchException e = assertThrows(WeightMismatchException.class,
                    () -> ReferenceWeights.load(loaded, file, m));
            assertEquals(java.util.List.of("blocks.2.norm1.weight"), e.unknown());
        }
    }

    @Test
    void singleMaskTokenOfIjepaAndVjepa1PredictorsLoadsAsTheFirstOfOurs(@TempDir Path dir) throws Exception {
        VitConfig enc = VitConfig.builder().setWidth(32).setDepth(1).setNumHeads(2).optFrames(1).optTubeletSize(1)
                .optImageSize(32).optPatchSize(16).optPositionKind(PositionKind.SINCOS_2D).build();
        PredictorConfig pc = PredictorConfig.builder(enc).setWidth(16).setDepth(1).setNumHeads(2)
                .optNumMaskTokens(1).optZeroInitMaskTokens(false).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Predictor source = new Predictor(pc, m, 5);
            Map<String, NDArray> dict = new LinkedHashMap<>();
            source.parameters().forEach((k, v) -> dict.put(k.equals("mask_tokens.0") ? "module.mask_token" : "module." + k, v));
            Path file = dir.resolve("predictor.safetensors");
            SafeTensors.write(file, dict, Map.of());
            Predictor loaded = new Predictor(pc, m, 6);
            ReferenceWeights.load(loaded, file, m);
            NDArray expected = source.parameters().get("mask_tokens.0");
            assertEquals(0f, expected.sub(loaded.parameters().get("mask_tokens.0")).abs().max().getFloat(), 0f);
        }
    }
}
