package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;
import org.junit.jupiter.api.Test;

class TwoRoomGoalToleranceTest {

    private static final TwoRoomSpec SPEC = TwoRoomSpec.defaults();


    @Test
    void theToleranceGrowsWithTheDistanceFromTheGoal() {
        try (NDManager m = NDManager.newBaseManager()) {
            double near = TwoRoomGoalTolerance.calibrate(PixelTokens.ENCODER, SPEC, 1, 10, 7, m);
            double mid = TwoRoomGoalTolerance.calibrate(PixelTokens.ENCODER, SPEC, 2, 10, 7, m);
            double far = TwoRoomGoalTolerance.calibrate(PixelTokens.ENCODER, SPEC, 4, 10, 7, m);
            assertTrue(near > 0 && near < mid && mid < far, near + " < " + mid + " < " + far);
            assertEquals(mid, TwoRoomGoalTolerance.calibrate(PixelTokens.ENCODER, SPEC, 2, 10, 7, m), 0, "deterministic for a seed");
        }
    }

    @Test
    void itIsTheMeanEnergyOfTheFramesThatDistanceOffTheGoal() {
        try (NDManager m = NDManager.newBaseManager()) {
            PlanningTask task = PlanningTask.sample(SPEC, 1, 11).get(0);
            TwoRoomWorld world = task.world(SPEC);
            NDArray goal = PixelTokens.ENCODER.encode(m, world.render(task.goal()), SPEC.size());
            double sum = 0;
            int n = 0;
            for (int k = 0; k < 8; k++) {
                double a = Math.PI * k / 4;
                double[] p = world.step(task.goal(), new double[] {3 * Math.cos(a), 3 * Math.sin(a)});
                if (Math.hypot(p[0] - task.goal()[0], p[1] - task.goal()[1]) < 3 - 1e-3) {
                    continue;
                }
                NDArray tokens = PixelTokens.ENCODER.encode(m, world.render(p), SPEC.size());
                NDArray a1 = GoalEnergy.layerNorm(tokens);
                NDArray g1 = GoalEnergy.layerNorm(goal);
                sum += a1.sub(g1).abs().mean().getFloat();
                n++;
            }
            assertTrue(n > 0);
            assertEquals(sum / n, TwoRoomGoalTolerance.calibrate(PixelTokens.ENCODER, SPEC, 3, 1, 11, m), 1e-6);
        }
    }

    @Test
    void aRadiusOrGoalCountThatIsNotPositiveIsRefusedByName() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TwoRoomGoalTolerance.calibrate(PixelTokens.ENCODER, SPEC, 0, 10, 7, m));
            assertTrue(e.getMessage().contains("radius"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> TwoRoomGoalTolerance.calibrate(PixelTokens.ENCODER, SPEC, 2, 0, 7, m));
        }
    }
}
