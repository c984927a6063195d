package org.jepa4j.core.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Inputs that do not fit the configuration fail with a clear exception, not a JVM crash. */
class BadInputTest {

    private static final VitConfig VIDEO = VitConfig.builder().setWidth(24).setDepth(1).setNumHeads(2).optFrames(4)
            .optImageSize(32).optPatchSize(8).optPositionKind(PositionKind.ROPE_3D).build();

    private static void assertMessage(Executable e, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
    }

    @Test
    void encoderRejectsInputsThatDoNotFit() {
        try (NDManager m = NDManager.newBaseManager()) {
            VisionTransformer vit = new VisionTransformer(VIDEO, m, 0);
            assertMessage(() -> vit.forward(m.zeros(new Shape(1, 3, 3, 32, 32))), "not divisible by the tubelet size");
            assertMessage(() -> vit.forward(m.zeros(new Shape(1, 3, 4, 30, 32))), "not divisible by the patch size");
            assertMessage(() -> vit.forward(m.zeros(new Shape(1, 3, 32, 32))), "[B, C, T, H, W]");
            assertMessage(() -> vit.forward(m.zeros(new Shape(1, 1, 4, 32, 32))), "channels");
            assertMessage(() -> vit.forward(m.zeros(new Shape(1, 3, 4, 32, 32)), m.zeros(new Shape(1, 4))), "int64");
            assertMessage(() -> vit.forward(m.zeros(new Shape(2, 3, 4, 32, 32)),
                    m.zeros(new Shape(1, 4), DataType.INT64)), "[B=2, K]");
            VisionTransformer sincos = new VisionTransformer(
                    VIDEO.toBuilder().optPositionKind(PositionKind.SINCOS_3D).build(), m, 0);
            assertMessage(() -> sincos.forward(m.zeros(new Shape(1, 3, 4, 48, 48))), "not interpolated");
        }
    }

    @Test
    void predictorRejectsMismatchedContext() {
        try (NDManager m = NDManager.newBaseManager()) {
            Predictor p = new Predictor(PredictorConfig.builder(VIDEO).setWidth(12).setDepth(1).setNumHeads(2).build(),
                    m, 0);
            assertMessage(() -> p.forward(m.zeros(new Shape(1, 3, 20)), m.zeros(new Shape(1, 3), DataType.INT64),
                    m.zeros(new Shape(1, 2), DataType.INT64), 0), "[B, Nc, 24]");
            assertMessage(() -> p.forward(m.zeros(new Shape(1, 3, 24)), m.zeros(new Shape(1, 2), DataType.INT64),
                    m.zeros(new Shape(1, 2), DataType.INT64), 0), "do not match");
        }
    }
}
