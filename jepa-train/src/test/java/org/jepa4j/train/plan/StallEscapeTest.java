package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.junit.jupiter.api.Test;

class StallEscapeTest {

    private static float[] random(int n, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    /** Layer norm of one row, as GoalEnergy computes it. */
    private static double[] ln(float[] v, int off, int d) {
        double mean = 0;
        for (int i = 0; i < d; i++) {
            mean += v[off + i];
        }
        mean /= d;
        double var = 0;
        for (int i = 0; i < d; i++) {
            var += (v[off + i] - mean) * (v[off + i] - mean);
        }
        var /= d;
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = (v[off + i] - mean) / Math.sqrt(var + 1e-6);
        }
        return out;
    }

    @Test
    void repulsionIsTheKernelSumOverVisitedFramesAveragedOverImaginedFrames() {
        int s = 2;
        int h = 3;
        int m = 2;
        int n = 3;
        int d = 4;
        float[] pred = random(s * h * n * d, 1);
        float[] seen = random(m * n * d, 2);
        double weight = 0.7;
        double width = 0.9;
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray visited = GoalEnergy.layerNorm(nd.create(seen, new Shape(m, n, d))); // [M, N, D]
            Repulsion r = new Repulsion(visited, weight, width);
            float[] all = r.of(nd.create(pred, new Shape(s, h, n, d)), EnergyMode.ALL_FRAMES).toFloatArray();
            float[] last = r.of(nd.create(pred, new Shape(s, h, n, d)), EnergyMode.LAST_FRAME).toFloatArray();
            for (int i = 0; i < s; i++) {
                double sumAll = 0;
                double lastFrame = 0;
                for (int t = 0; t < h; t++) {
                    double kernel = 0;
                    for (int v = 0; v < m; v++) {
                        double l1 = 0;
                        for (int k = 0; k < n; k++) {
                            double[] a = ln(pred, ((i * h + t) * n + k) * d, d);
                            double[] b = ln(seen, (v * n + k) * d, d);
                            for (int c = 0; c < d; c++) {
                                l1 += Math.abs(a[c] - b[c]);
                            }
                        }
                        kernel += Math.exp(-(l1 / (n * d)) / width);
                    }
                    sumAll += kernel;
                    lastFrame = kernel;
                }
                assertEquals(weight * sumAll / h, all[i], 1e-4, "candidate " + i + ", all frames");
                assertEquals(weight * lastFrame, last[i], 1e-4, "candidate " + i + ", last frame");
            }
        }
    }

    @Test
    void badSettingsAndShapesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StallEscape(0, 1, 2, 0, 0)).getMessage()
                .contains("weight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StallEscape(1, 1, 0, 0, 0)).getMessage()
                .contains("patience"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StallEscape.inUnits(4, 0, 0)).getMessage()
                .contains("unit"));
        StallEscape e = StallEscape.inUnits(4, 0.02, 0.05);
        assertEquals(0.08, e.weight(), 1e-12);
        assertEquals(0.05, e.width(), 1e-12);
        assertEquals(0.005, e.minProgress(), 1e-12);
        try (NDManager nd = NDManager.newBaseManager()) {
            Repulsion r = new Repulsion(nd.zeros(new Shape(2, 3, 4)), 1, 1);
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> r.of(nd.zeros(new Shape(5, 2, 3, 5)), EnergyMode.ALL_FRAMES)).getMessage();
            assertTrue(msg.contains("(5, 2, 3, 5)") && msg.contains("(2, 3, 4)"), msg);
            assertThrows(IllegalArgumentException.class, () -> new Repulsion(nd.zeros(new Shape(3, 4)), 1, 1));
        }
    }

    /** An agent that cannot move: its observation never changes, so the goal energy never falls. */
    private static PlanningEnvironment stuck(NDArray tokens) {
        return new PlanningEnvironment() {
            @Override
            public NDArray observe(NDManager manager) {
                return tokens.duplicate();
            }

            @Override
            public double[] state() {
                return new double[2];
            }

            @Override
            public void act(double[] action) {}

            @Override
            public boolean reached() {
                return false;
            }
        };
    }

    @Test
    void theControllerEscapesAfterPatienceReplansWithoutProgressAndOnlyFarFromTheGoal() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, 2, 4, 2, 5);
            CemConfig cfg = CemConfig.builder(2, 1.0).optHorizon(3).optSamples(16).optTopK(4).optIterations(2)
                    .optSeed(3).build();
            NDArray start = m.create(random(8, 7), new Shape(2, 4));
            NDArray goal = m.create(random(8, 8), new Shape(2, 4));
            double observed = GoalEnergy.ofObservation(start, goal);
            ModelPredictiveControl.Outcome far = ModelPredictiveControl.builder()
                    .setPlanner(new CemPlanner(dyn, cfg)).optMaxActions(10)
                    .optEscape(new StallEscape(0.1, 0.5, 2, 0.0, observed / 2)).build().run(stuck(start), goal);
            // replan 1 sets the best energy; replans 2..10 make no progress; from the 2nd of them on: escapes
            assertEquals(10, far.replans());
            assertEquals(8, far.escapes());
            ModelPredictiveControl.Outcome near = ModelPredictiveControl.builder()
                    .setPlanner(new CemPlanner(dyn, cfg)).optMaxActions(10)
                    .optEscape(new StallEscape(0.1, 0.5, 2, 0.0, observed * 2)).build().run(stuck(start), goal);
            assertEquals(0, near.escapes(), "no escape at or below the far energy");
            ModelPredictiveControl.Outcome none = ModelPredictiveControl.builder()
                    .setPlanner(new CemPlanner(dyn, cfg)).optMaxActions(10).build().run(stuck(start), goal);
            assertEquals(0, none.escapes());
        }
    }

    /**
     * A perfect world model of the two-room world seen through pixel tokens: on this cross-room task the energy's
     * local minimum (the wall spot facing the goal) traps the planner, and the escape leads it through the door.
     */
    @Test
    void theEscapeLeavesTheWallSpotFacingTheGoal() {
        TwoRoomSpec spec = TwoRoomSpec.defaults();
        PlanningTask task = PlanningTask.sample(spec, 2, 11).get(1);
        assertTrue(task.crossRoom());
        try (NDManager m = NDManager.newBaseManager()) {
            double tolerance = TwoRoomGoalTolerance.calibrate(PixelTokens.ENCODER, spec, 3, 20, 99, m);
            double far = TwoRoomGoalTolerance.calibrate(PixelTokens.ENCODER, spec, 8, 20, 99, m);
            CemConfig cfg = CemConfig.builder(2, spec.maxActionReach() / spec.size()).optHorizon(6).optSamples(64)
                    .optTopK(8).optIterations(4).optEnergyMode(EnergyMode.ALL_FRAMES).optActionCost(0.01)
                    .optReturnBest(true).optGoalTolerance(tolerance).optSeed(0).build();
            TwoRoomEvaluation.EpisodeResult plain = TwoRoomEvaluation.run(spec, List.of(task),
                    TwoRoomPolicy.perfectModel(cfg, 2, true, null, PixelTokens.ENCODER, m), PixelTokens.ENCODER, 24,
                    null).episodes().get(0);
            TwoRoomEvaluation.EpisodeResult escaping = TwoRoomEvaluation.run(spec, List.of(task),
                    TwoRoomPolicy.perfectModel(cfg, 2, true, StallEscape.inUnits(4, tolerance, far),
                            PixelTokens.ENCODER, m), PixelTokens.ENCODER, 24, null).episodes().get(0);
            assertTrue(!plain.reached() && plain.finalDistance() > 20, "without the escape the planner is trapped: "
                    + plain.finalDistance() + " px from the goal");
            assertTrue(escaping.reached() && escaping.outcome().escapes() > 0, "with it: "
                    + escaping.finalDistance() + " px, " + escaping.outcome().escapes() + " escaping replans");
        }
    }
}
