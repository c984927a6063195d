package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;
import org.junit.jupiter.api.Test;

class RolloutTrackingTest {

    private static final TwoRoomSpec SPEC = TwoRoomSpec.defaults();
    private static final long SEED = 5;
    private static final double GRID = 2;


    /** A perfect model of the one task of SEED: it steps the real world and encodes the real frames. */
    private static LatentDynamics oracle() {
        PlanningTask task = PlanningTask.sample(SPEC, 1, SEED).get(0);
        TwoRoomWorld world = task.world(SPEC);
        return new LatentDynamics() {
            @Override
            public int actionDim() {
                return 2;
            }

            @Override
            public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
                NDManager m = actions.getManager();
                long samples = actions.getShape().get(0);
                long horizon = actions.getShape().get(1);
                float[] a = actions.toFloatArray(); // [S * H * 2], in units of the frame size
                NDList out = new NDList();
                for (int s = 0; s < samples; s++) {
                    double[] p = task.start();
                    for (int h = 0; h < horizon; h++) {
                        int i = (int) ((s * horizon + h) * 2);
                        p = world.step(p, new double[] {a[i] * SPEC.size(), a[i + 1] * SPEC.size()});
                        out.add(PixelTokens.ENCODER.encode(m, world.render(p), SPEC.size()).expandDims(0)); // [1, N, D]
                    }
                }
                Shape t = tokens.getShape();
                return NDArrays.concat(out, 0).reshape(samples, horizon, t.get(0), t.get(1)); // [S, H, N, D]
            }
        };
    }

    /** A model that ignores its actions: every imagined frame is the current one. */
    private static final LatentDynamics COPY_LAST = new LatentDynamics() {
        @Override
        public int actionDim() {
            return 2;
        }

        @Override
        public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
            long samples = actions.getShape().get(0);
            long horizon = actions.getShape().get(1);
            return tokens.expandDims(0).expandDims(0).repeat(0, samples).repeat(1, horizon); // [S, H, N, D]
        }
    };

    @Test
    void aPerfectModelTracksTheAgentToWithinTheGridAndOneThatIgnoresActionsIsAsFarAsHoldingStill() {
        try (NDManager m = NDManager.newBaseManager()) {
            RolloutTracking perfect = RolloutTracking.measure(oracle(), PixelTokens.ENCODER, SPEC, m, 1, 4, GRID, SEED);
            RolloutTracking copy = RolloutTracking.measure(COPY_LAST, PixelTokens.ENCODER, SPEC, m, 1, 4, GRID, SEED);
            assertEquals(8, perfect.rollouts());
            for (int h = 0; h < 4; h++) {
                assertTrue(perfect.model()[h] <= GRID, "step " + (h + 1) + ": " + perfect.model()[h] + " px");
                // the nearest grid point to the start is within GRID / sqrt(2) of it
                assertEquals(copy.holdStill()[h], copy.model()[h], GRID, "step " + (h + 1));
            }
            assertEquals(perfect.holdStill()[3], copy.holdStill()[3], 0, "the same real rollouts");
            assertTrue(copy.holdStill()[3] > 15, "four full-reach actions move the agent: " + copy.holdStill()[3]);
            assertTrue(perfect.table().contains("hold-still"));
            assertEquals(4, perfect.toJson().getAsJsonArray("model_px").size());
        }
    }

    @Test
    void countsAndGridStepThatAreNotPositiveAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RolloutTracking.measure(COPY_LAST, PixelTokens.ENCODER, SPEC, m, 1, 4, 0, SEED));
            assertTrue(e.getMessage().contains("gridStep"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> RolloutTracking.measure(COPY_LAST, PixelTokens.ENCODER, SPEC, m, 0, 4, GRID, SEED));
            assertThrows(IllegalArgumentException.class,
                    () -> RolloutTracking.measure(COPY_LAST, PixelTokens.ENCODER, SPEC, m, 1, 0, GRID, SEED));
        }
    }
}
