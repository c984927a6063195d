package org.jepa4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.jepa4j.core.tensor.ParameterType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Modules built inside {@link ParameterType#use} hold float16 parameters equal to the rounded float32 ones of the
 * same seed (depth-rescaled projections within one ulp), compute in float16 from float32 pixels (positions and RoPE tables included) and train.
 */
class ParameterTypeTest {

    @ParameterizedTest
    @EnumSource(value = PositionKind.class, names = {"ROPE_3D", "SINCOS_3D", "LEARNED"})
    void float16ModelsMatchRoundedFloat32AndTrain(PositionKind kind) {
        VitConfig cfg = VitConfig.builder().setWidth(48).setDepth(2).setNumHeads(4).optFrames(4).optImageSize(32)
                .optPatchSize(8).optPositionKind(kind).build(); // grid 2 x 4 x 4 = 32 tokens
        PredictorConfig pcfg = PredictorConfig.builder(cfg).setWidth(24).setDepth(1).setNumHeads(4)
                .optNumMaskTokens(1).optZeroInitMaskTokens(false).build();
        try (NDManager m = NDManager.newBaseManager()) {
            VisionTransformer enc32 = new VisionTransformer(cfg, m, 7);
            Predictor pred32 = new Predictor(pcfg, m, 8);
            VisionTransformer enc16;
            Predictor pred16;
            try (ParameterType ignored = ParameterType.use(DataType.FLOAT16)) {
                enc16 = new VisionTransformer(cfg, m, 7);
                pred16 = new Predictor(pcfg, m, 8);
            }
            assertEquals(DataType.FLOAT32, ParameterType.current(), "the previous type is restored");
            assertEquals(DataType.FLOAT16, enc16.dataType());
            assertRounded(enc32.parameters(), enc16.parameters());
            assertRounded(pred32.parameters(), pred16.parameters());

            NDArray video = m.randomNormal(new Shape(2, 3, 4, 32, 32)); // float32 pixels for both
            NDArray ctx = m.create(new long[] {0, 3, 5, 9, 17, 30, 1, 2, 4, 8, 16, 31}, new Shape(2, 6));
            NDArray tgt = m.create(new long[] {6, 7, 10, 11, 2, 3, 5, 6}, new Shape(2, 4));
            NDArray out32 = pred32.forward(enc32.forward(video, ctx), ctx, tgt, 0); // [2, 4, 48]
            NDArray out16;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray full = enc16.forward(video); // all tokens: cached RoPE tables
                assertEquals(DataType.FLOAT16, full.getDataType());
                out16 = pred16.forward(enc16.forward(video, ctx), ctx, tgt, 0);
                assertEquals(DataType.FLOAT16, out16.getDataType(), "no silent promotion to float32");
                NDArray loss = out16.add(m.zeros(new Shape(1))).square().mean().add(full.mean()); // fp32 reduction
                gc.backward(loss.mul(4096f)); // loss scaling: unscaled, small fp16 gradients underflow to zero
            }
            float diff = out16.toType(DataType.FLOAT32, false).sub(out32).abs().max().getFloat();
            float scale = out32.abs().max().getFloat();
            assertTrue(diff < 2e-2f * scale, "fp16 output deviates by " + diff + " (max |out| " + scale + ")");
            for (Map.Entry<String, NDArray> e : enc16.parameters().entrySet()) {
                NDArray g = e.getValue().getGradient();
                assertEquals(DataType.FLOAT16, g.getDataType(), e.getKey());
                float l1 = g.toType(DataType.FLOAT32, false).abs().sum().getFloat();
                assertTrue(Float.isFinite(l1) && l1 > 0, e.getKey() + " gradient |g|_1 = " + l1);
            }
        }
    }

    @Test
    void predictorRejectsContextOfAnotherType() {
        VitConfig cfg = VitConfig.builder().setWidth(48).setDepth(1).setNumHeads(4).optFrames(4).optImageSize(32)
                .optPatchSize(8).build();
        PredictorConfig pcfg = PredictorConfig.builder(cfg).setWidth(24).setDepth(1).setNumHeads(4).build();
        try (NDManager m = NDManager.newBaseManager(); ParameterType ignored = ParameterType.use(DataType.FLOAT16)) {
            Predictor p = new Predictor(pcfg, m, 1);
            NDArray ids = m.create(new long[] {0, 1}, new Shape(1, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.forward(m.zeros(new Shape(1, 2, 48)), ids, ids, 0));
            assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float16"), e.getMessage());
        }
    }

    @Test
    void onlyFloat32AndFloat16AreAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParameterType.use(DataType.BFLOAT16));
        assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParameterType.use(DataType.FLOAT64));
        assertEquals(DataType.FLOAT32, ParameterType.current());
    }

    private static void assertRounded(Map<String, NDArray> p32, Map<String, NDArray> p16) {
        assertEquals(p32.keySet(), p16.keySet());
        for (Map.Entry<String, NDArray> e : p32.entrySet()) {
            NDArray h = p16.get(e.getKey());
            assertEquals(DataType.FLOAT16, h.getDataType(), e.getKey());
            assertTrue(h.hasGradient(), e.getKey() + " must be trainable");
            float[] expected = e.getValue().toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false)
                    .toFloatArray();
            float[] actual = h.toType(DataType.FLOAT32, false).toFloatArray();
            if (e.getKey().endsWith("attn.proj.weight") || e.getKey().endsWith("mlp.fc2.weight")) {
                // depth rescaling happens after the rounding: one more fp16 rounding, at most one ulp (2^-10 relative, 2^-24 subnormal)
                for (int i = 0; i < expected.length; i++) {
                    assertTrue(Math.abs(actual[i] - expected[i]) <= Math.max(Math.abs(expected[i]) * 0x1p-10f, 0x1p-24f),
                            e.getKey() + "[" + i + "]: " + actual[i] + " vs " + expected[i]);
                }
            } else {
                assertArrayEquals(expected, actual, e.getKey());
            }
        }
    }
}
