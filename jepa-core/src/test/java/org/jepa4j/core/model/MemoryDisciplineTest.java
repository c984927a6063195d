package org.jepa4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** Training steps run in a per-step manager leave no arrays behind in the model's manager. */
class MemoryDisciplineTest {

    @Test
    void stepsDoNotGrowTheModelManager() {
        for (PositionKind kind : new PositionKind[] {PositionKind.ROPE_3D, PositionKind.LEARNED}) {
            VitConfig cfg = VitConfig.builder().setWidth(24).setDepth(1).setNumHeads(2).optFrames(4)
                    .optImageSize(32).optPatchSize(16).optPositionKind(kind).build();
            try (NDManager model = NDManager.newBaseManager()) {
                VisionTransformer encoder = new VisionTransformer(cfg, model, 1);
                Predictor predictor = new Predictor(PredictorConfig.builder(cfg).setWidth(16).setDepth(1)
                        .setNumHeads(2).build(), model, 2);
                int[] counts = new int[3];
                for (int i = 0; i < 3; i++) {
                    try (NDManager step = model.newSubManager()) {
                        NDArray video = step.randomNormal(new Shape(2, 3, 4, 32, 32));
                        NDArray ctx = step.create(new long[] {0, 2, 5, 1, 3, 6}, new Shape(2, 3));
                        NDArray tgt = step.create(new long[] {4, 7, 0, 2}, new Shape(2, 2));
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray pred = predictor.forward(encoder.forward(video, ctx), ctx, tgt, 0);
                            gc.backward(pred.abs().mean());
                        }
                        encoder.forward(video); // all-token path (cached RoPE tables)
                    }
                    counts[i] = model.getManagedArrays().size();
                }
                assertEquals(counts[1], counts[2], kind + ": live arrays in the model manager grew: "
                        + java.util.Arrays.toString(counts));
            }
        }
    }
}
