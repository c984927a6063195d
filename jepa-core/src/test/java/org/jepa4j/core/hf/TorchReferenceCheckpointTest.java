package org.jepa4j.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.core.model.Module;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.PredictorConfig;
import org.jepa4j.core.model.StateDict;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.core.model.WeightMismatchException;
import org.junit.jupiter.api.Test;

/**
 * Entries of a V-JEPA-style training checkpoint written by torch.save (src/test/resources/torch/vjepa_tiny.pt,
 * see make_fixtures.py) load through {@link ReferenceWeights} into our modules with exactly the weights Python wrote.
 */
class TorchReferenceCheckpointTest {

    static final Path PT = Path.of("src/test/resources/torch/vjepa_tiny.pt");
    static final VitConfig VIT = VitConfig.builder().setWidth(16).setDepth(2).setNumHeads(2).optPatchSize(4)
            .optTubeletSize(2).optFrames(2).optImageSize(8).optPositionKind(PositionKind.SINCOS_3D).build();

    /** The weights make_fixtures.py writes: ((i * 37 + sum of the name's chars + salt) % 101 - 50) / 500. */
    static Map<String, NDArray> formula(Module module, int salt, NDManager m) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : module.parameters().entrySet()) {
            int h = salt;
            for (char c : e.getKey().toCharArray()) {
                h += c;
            }
            int n = (int) e.getValue().getShape().size();
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (((i * 37L + h) % 101 - 50) / 500.0);
            }
            out.put(e.getKey(), m.create(v, e.getValue().getShape()));
        }
        return out;
    }

    static void assertSameParameters(Map<String, NDArray> expected, Module actual) {
        Map<String, NDArray> params = actual.parameters();
        assertEquals(expected.keySet(), params.keySet());
        for (Map.Entry<String, NDArray> e : expected.entrySet()) {
            float diff = e.getValue().sub(params.get(e.getKey())).abs().max().getFloat();
            assertEquals(0f, diff, e.getKey());
        }
    }

    @Test
    void targetEncoderFromPtEqualsTheWeightsPythonWrote() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            VisionTransformer fromPt = new VisionTransformer(VIT, m, 99);
            ReferenceWeights.load(fromPt, PT, "target_encoder", m);
            VisionTransformer direct = new VisionTransformer(VIT, m, 5);
            Map<String, NDArray> expected = formula(direct, 1, m);
            StateDict.load(direct, expected, "formula");
            assertSameParameters(expected, fromPt);

            NDArray video = m.randomNormal(new Shape(2, 3, 2, 8, 8)); // [B, C, T, H, W]
            NDArray out = fromPt.forward(video); // [B, N, D]
            assertEquals(new Shape(2, 4, 16), out.getShape());
            assertEquals(0f, direct.forward(video).sub(out).abs().max().getFloat(), 1e-6f);

            VisionTransformer online = new VisionTransformer(VIT, m, 99);
            ReferenceWeights.load(online, PT, "encoder", m);
            assertSameParameters(formula(online, 0, m), online);
            assertTrue(online.forward(video).sub(out).abs().max().getFloat() > 1e-3, "encoder != target_encoder");
        }
    }

    @Test
    void predictorEntryLoads() throws Exception {
        PredictorConfig cfg = PredictorConfig.builder(VIT).setWidth(8).setDepth(1).setNumHeads(2).optNumMaskTokens(2)
                .optPositionKind(PositionKind.SINCOS_3D).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Predictor predictor = new Predictor(cfg, m, 3);
            ReferenceWeights.load(predictor, PT, "predictor", m);
            assertSameParameters(formula(predictor, 2, m), predictor);
        }
    }

    @Test
    void wrongEntriesAndModulesAreReported() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            VisionTransformer vit = new VisionTransformer(VIT, m, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReferenceWeights.load(vit, PT, "ema_encoder", m));
            assertTrue(e.getMessage().contains("ema_encoder") && e.getMessage().contains("target_encoder"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ReferenceWeights.load(vit, PT, null, m));
            WeightMismatchException w = assertThrows(WeightMismatchException.class,
                    () -> ReferenceWeights.load(vit, PT, "predictor", m));
            assertTrue(w.getMessage().contains("[predictor]"), w.getMessage());
        }
    }
}
