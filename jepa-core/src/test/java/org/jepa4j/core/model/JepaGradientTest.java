package org.jepa4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JEPA step (context encoder on context ids, predictor per mask set, L1 against a frozen target copy) gives
 * finite non-zero gradients to every trainable parameter and none to the frozen copy.
 */
class JepaGradientTest {

    @ParameterizedTest
    @EnumSource(value = PositionKind.class, names = {"ROPE_3D", "SINCOS_3D", "LEARNED"})
    void everyTrainableParameterGetsAGradient(PositionKind kind) {
        VitConfig cfg = VitConfig.builder().setWidth(48).setDepth(2).setNumHeads(4).optFrames(4).optImageSize(32)
                .optPatchSize(8).optPositionKind(kind).build(); // grid 2 x 4 x 4 = 32 tokens
        PredictorConfig pcfg = PredictorConfig.builder(cfg).setWidth(24).setDepth(2).setNumHeads(4)
                .optNumMaskTokens(2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            VisionTransformer encoder = new VisionTransformer(cfg, m, 1);
            Predictor predictor = new Predictor(pcfg, m, 2);
            VisionTransformer target = new VisionTransformer(cfg, m, 1);
            target.setTrainable(false);
            NDArray video = m.randomNormal(new Shape(2, 3, 4, 32, 32));
            NDArray ctx = m.create(new long[] {0, 3, 5, 9, 17, 30, 1, 2, 4, 8, 16, 31}, new Shape(2, 6));
            NDArray[] targets = {
                m.create(new long[] {6, 7, 10, 11, 2, 3, 5, 6}, new Shape(2, 4)),
                m.create(new long[] {20, 21, 24, 25, 26, 27, 0, 12, 13, 14, 15, 18}, new Shape(2, 6)),
            };
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray full = target.forward(video); // [B, N, D]
                NDArray normed = full.sub(full.mean(new int[] {2}, true))
                        .div(full.sub(full.mean(new int[] {2}, true)).square().mean(new int[] {2}, true).add(1e-6f).sqrt());
                NDArray z = encoder.forward(video, ctx); // [B, 6, D]
                NDArray loss = null;
                for (int i = 0; i < targets.length; i++) {
                    NDArray pred = predictor.forward(z, ctx, targets[i], i); // [B, Nt, D]
                    NDArray t = normed.gather(targets[i].expandDims(2).broadcast(2, targets[i].getShape().get(1), 48), 1);
                    NDArray l1 = pred.sub(t).abs().mean();
                    loss = loss == null ? l1 : loss.add(l1);
                }
                gc.backward(loss.div(targets.length));
            }
            List<String> bad = new ArrayList<>();
            for (Map<String, NDArray> params : List.of(encoder.parameters(), predictor.parameters())) {
                for (Map.Entry<String, NDArray> e : params.entrySet()) {
                    NDArray g = e.getValue().getGradient();
                    float norm = g.abs().sum().getFloat();
                    if (!Float.isFinite(norm) || norm == 0f) {
                        bad.add(e.getKey() + " (|g|_1 = " + norm + ")");
                    }
                }
            }
            assertTrue(bad.isEmpty(), "parameters without a useful gradient: " + bad);
            for (NDArray p : target.parameters().values()) {
                assertFalse(p.hasGradient(), "the frozen target must not track gradients");
            }
            assertEquals(encoder.parameters().keySet(), target.parameters().keySet());
        }
    }
}
