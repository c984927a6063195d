package org.jepa4j.train.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelSurpriseTest {

    /** A 1-pixel video whose value grows by 1 per frame: constant velocity predicts it exactly. */
    @Test
    void lastFrameAndConstantVelocityOnALinearRamp() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = new float[3 * 6];
            for (int c = 0; c < 3; c++) {
                for (int t = 0; t < 6; t++) {
                    v[c * 6 + t] = t;
                }
            }
            NDArray video = m.create(v, new Shape(3, 6, 1, 1));
            VideoSurprise last = new PixelSurprise(4, List.of(2), 2, PixelSurprise.Extrapolation.LAST_FRAME)
                    .score(video);
            // windows at 0 and 2; future frames 2, 3 predicted by frame 1: errors 1 and 2, mean 1.5
            assertEquals(2, last.windows().size());
            assertEquals(1.5, last.windows().get(0).value(), 1e-6);
            assertEquals(1.5, last.mean(), 1e-6);
            VideoSurprise velocity = new PixelSurprise(4, List.of(2, 3), 2,
                    PixelSurprise.Extrapolation.CONSTANT_VELOCITY).score(video);
            assertEquals(0, velocity.max(), 1e-6);
        }
    }

    @Test
    void scores() {
        assertEquals(2 / 3.0, VoeScores.pairwiseAccuracy(new double[] {1, 2, 3}, new double[] {2, 1, 4}), 1e-12);
        assertEquals(3.5 / 4, VoeScores.auroc(new double[] {2, 3}, new double[] {1, 2}), 1e-12); // one tie of four
        assertEquals(Math.sqrt(0.5), VoeScores.sd(new double[] {1, 2}), 1e-12);
    }
}
