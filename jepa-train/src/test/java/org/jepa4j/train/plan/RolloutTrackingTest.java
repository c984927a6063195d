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
        return oracle(1);
    }

    /**
     * A perfect model with a frame skip: one model action is {@code frameStep} equal steps of the real world (the
     * sum of the actions between two of its frames).
     */
    private static LatentDynamics oracle(int frameStep) {
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
                        for (int k = 0; k < frameStep; k++) {
                            p = world.step(p, new double[] {a[i] * SPEC.size() / frameStep,
                                a[i + 1] * SPEC.size() / frameStep});
                        }
                        out.add(PixelTokens.ENCODER.encode(m, world.render(p), SPEC.size()).expandDims(0)); // [1, N, D]
                    }
                }
                Shape t = tokens.getShape();
                return NDArrays.concat(out, 0).reshape(samples, horizon, t.get(0), t.get(1)); // [S, H, N, D]
            }
        };
    }

    private static final LatentDynamics COPY_LAST = CopyLastDynamics.INSTANCE;

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
    void withAFrameSkipEachImaginedStepIsFrameStepRealActions() {
        try (NDManager m = NDManager.newBaseManager()) {
            RolloutTracking single = RolloutTracking.measure(oracle(), PixelTokens.ENCODER, SPEC, m, 1, 4, GRID, SEED);
            RolloutTracking skip = RolloutTracking.measure(oracle(2), PixelTokens.ENCODER, SPEC, m, 1, 2, 2, GRID,
                    SEED);
            // two imagined steps of two actions each: the real agent is where four single actions take it
            assertEquals(single.holdStill()[1], skip.holdStill()[0], 1e-9);
            assertEquals(single.holdStill()[3], skip.holdStill()[1], 1e-9);
            for (int h = 0; h < 2; h++) {
                assertTrue(skip.model()[h] <= GRID, "step " + (h + 1) + ": " + skip.model()[h] + " px");
            }
            // a model of single actions, read as a frame-skip model, falls behind (its one step moves one reach)
            RolloutTracking wrong = RolloutTracking.measure(oracle(), PixelTokens.ENCODER, SPEC, m, 1, 2, 2, GRID,
                    SEED);
            assertTrue(wrong.model()[1] > 2 * GRID, "a single-step model read with frame step 2: "
                    + wrong.model()[1] + " px");
            assertThrows(IllegalArgumentException.class,
                    () -> RolloutTracking.measure(COPY_LAST, PixelTokens.ENCODER, SPEC, m, 1, 2, 0, GRID, SEED));
        }
    }

    @Test
    void theOpenLoopErrorWithAFrameSkipComparesFramesThatFarApart() {
        try (NDManager m = NDManager.newBaseManager()) {
            OpenLoopError single = OpenLoopError.measure(COPY_LAST, PixelTokens.ENCODER, SPEC, m, 3, 4, SEED);
            OpenLoopError skip = OpenLoopError.measure(COPY_LAST, PixelTokens.ENCODER, SPEC, m, 3, 2, 2, SEED);
            // the same episodes (their first frames do not depend on their length): predicted step 1 of the
            // frame-skip measurement is frame 2, step 2 is frame 4
            assertEquals(single.copyLast()[1], skip.copyLast()[0], 1e-6);
            assertEquals(single.copyLast()[3], skip.copyLast()[1], 1e-6);
            assertThrows(IllegalArgumentException.class,
                    () -> OpenLoopError.measure(COPY_LAST, PixelTokens.ENCODER, SPEC, m, 3, 2, 0, SEED));
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
