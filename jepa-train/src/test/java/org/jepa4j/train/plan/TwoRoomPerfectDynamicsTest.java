package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;
import org.junit.jupiter.api.Test;

class TwoRoomPerfectDynamicsTest {

    private static final TwoRoomSpec SPEC = TwoRoomSpec.defaults();

    @Test
    void imaginedFramesAreTheRealFramesAfterTheSameActions() {
        PlanningTask task = PlanningTask.sample(SPEC, 2, 31).get(1); // cross-room: the wall is in the way
        TwoRoomWorld world = task.world(SPEC);
        try (NDManager m = NDManager.newBaseManager()) {
            LatentDynamics perfect = new TwoRoomPerfectDynamics(world, PixelTokens.ENCODER);
            double size = SPEC.size();
            float[][] seqs = {{0.15f, 0f, 0.15f, 0.05f, -0.1f, 0.1f}, {0f, -0.15f, 0.02f, 0.02f, 0.15f, 0f}};
            float[] flat = new float[12];
            for (int i = 0; i < 2; i++) {
                System.arraycopy(seqs[i], 0, flat, 6 * i, 6);
            }
            NDArray actions = m.create(flat, new Shape(2, 3, 2)); // [S, H, A]
            NDArray state = m.create(new float[] {(float) (task.start()[0] / size), (float) (task.start()[1] / size)});
            NDArray start = PixelTokens.ENCODER.encode(m, world.render(task.start()), SPEC.size());
            NDArray out = perfect.rollout(start, state, actions);
            assertEquals(new Shape(2, 3, 16, 48), out.getShape());
            for (int i = 0; i < 2; i++) {
                double[] p = task.start();
                for (int t = 0; t < 3; t++) {
                    p = world.step(p, new double[] {seqs[i][2 * t] * size, seqs[i][2 * t + 1] * size});
                    NDArray real = GoalEnergy.layerNorm(PixelTokens.ENCODER.encode(m, world.render(p), SPEC.size()));
                    assertTrue(out.get(i, t).sub(real).abs().max().getFloat() < 1e-5f, "candidate " + i + " step " + t);
                }
            }
            // the energy of the real goal frame reached exactly is 0 (up to the layer norm's epsilon)
            double[] reached = world.step(task.start(), new double[] {seqs[0][0] * size, seqs[0][1] * size});
            NDArray goal = PixelTokens.ENCODER.encode(m, world.render(reached), SPEC.size());
            float e = perfect.energy(start, state, actions.get("0:1, 0:1, :"), goal, EnergyMode.LAST_FRAME).getFloat();
            assertEquals(0, e, 1e-3);
        }
    }

    @Test
    void theDefaultBatchEncodingStacksTheSingleFrames() {
        TwoRoomWorld world = PlanningTask.sample(SPEC, 1, 3).get(0).world(SPEC);
        try (NDManager m = NDManager.newBaseManager()) {
            byte[] a = world.render(new double[] {10, 10});
            byte[] b = world.render(new double[] {50, 40});
            NDArray both = PixelTokens.ENCODER.encodeAll(m, List.of(a, b), SPEC.size()); // [2, N, D]
            assertEquals(new Shape(2, 16, 48), both.getShape());
            assertTrue(both.get(1).sub(PixelTokens.ENCODER.encode(m, b, SPEC.size())).abs().max().getFloat() == 0f);
        }
    }

    @Test
    void actionsOfAnotherShapeAreNamed() {
        TwoRoomWorld world = PlanningTask.sample(SPEC, 1, 3).get(0).world(SPEC);
        try (NDManager m = NDManager.newBaseManager()) {
            LatentDynamics perfect = new TwoRoomPerfectDynamics(world, PixelTokens.ENCODER);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> perfect.rollout(m.zeros(new Shape(16, 48)), m.zeros(new Shape(2)), m.zeros(new Shape(1, 2, 3))));
            assertTrue(e.getMessage().contains("[S, H, 2]"), e.getMessage());
        }
    }
}
