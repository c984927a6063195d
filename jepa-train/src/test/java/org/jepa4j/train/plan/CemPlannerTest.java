package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CemPlannerTest {

    private static final int N = 4;
    private static final int D = 8;

    private static CemConfig config(long seed, EnergyMode mode) {
        return config(seed, mode, 2);
    }

    private static CemConfig config(long seed, EnergyMode mode, int horizon) {
        return CemConfig.builder(2, 1.0).optHorizon(horizon).optSamples(200).optTopK(10).optIterations(12)
                .optEnergyMode(mode).optSeed(seed).build();
    }

    @Test
    void findsTheActionsThatReachAKnownGoalInALinearWorld() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 7);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            double[][] truth = {{0.6, -0.3}};
            NDArray goal = dyn.apply(z0, truth);
            CemPlanner planner = new CemPlanner(dyn, config(1, EnergyMode.LAST_FRAME, 1));
            Plan plan = planner.plan(z0, new double[] {0, 0}, goal);
            assertArrayEquals(truth[0], plan.actions()[0], 0.05, Arrays.deepToString(plan.actions()));
            assertEquals(12, dyn.calls, "one batched rollout per iteration");
            // the planned actions bring the imagined last frame much closer than doing nothing
            NDArray reached = dyn.apply(z0, plan.actions());
            float after = reached.sub(goal).abs().mean().getFloat();
            float before = z0.sub(goal).abs().mean().getFloat();
            assertTrue(after < 0.1f * before, "distance " + after + " vs " + before);
        }
    }

    @Test
    void allFramesEnergyMovesAsFarAsTheBoundsAllowFirstThenLandsOnTheGoal() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 7);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            NDArray goal = dyn.apply(z0, new double[][] {{1.2, -0.6}});
            Plan plan = new CemPlanner(dyn, config(1, EnergyMode.ALL_FRAMES)).plan(z0, new double[2], goal);
            // the optimum of the mean energy over both imagined frames: frame 1 as close as the bounds allow
            // (x at its bound 1), frame 2 on the goal (the two actions sum to the displacement)
            assertEquals(1.0, plan.actions()[0][0], 0.05, Arrays.deepToString(plan.actions()));
            assertEquals(1.2, plan.actions()[0][0] + plan.actions()[1][0], 0.08);
            assertEquals(-0.6, plan.actions()[0][1] + plan.actions()[1][1], 0.08);
        }
    }

    @Test
    void lastFrameEnergyReachesTheGoalAtTheEndOfTheHorizon() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 3);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            NDArray goal = dyn.apply(z0, new double[][] {{-0.8, 0.5}, {0.2, 0.5}});
            Plan plan = new CemPlanner(dyn, config(2, EnergyMode.LAST_FRAME)).plan(z0, new double[2], goal);
            double sx = plan.actions()[0][0] + plan.actions()[1][0];
            double sy = plan.actions()[0][1] + plan.actions()[1][1];
            assertEquals(-0.6, sx, 0.08);
            assertEquals(1.0, sy, 0.08);
        }
    }

    @Test
    void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 5);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            NDArray goal = dyn.apply(z0, new double[][] {{0.3, 0.3}, {0.3, 0.3}});
            Plan a = new CemPlanner(dyn, config(11, EnergyMode.LAST_FRAME)).plan(z0, new double[2], goal);
            Plan b = new CemPlanner(dyn, config(11, EnergyMode.LAST_FRAME)).plan(z0, new double[2], goal);
            Plan c = new CemPlanner(dyn, config(12, EnergyMode.LAST_FRAME)).plan(z0, new double[2], goal);
            assertTrue(Arrays.deepEquals(a.actions(), b.actions()));
            assertFalse(Arrays.deepEquals(a.actions(), c.actions()));
        }
    }

    @Test
    void actionsStayWithinTheBounds() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 9);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            NDArray goal = dyn.apply(z0, new double[][] {{0.6, 0.5}}); // just outside the bounds
            CemConfig cfg = CemConfig.builder(2, 0).setBounds(new double[] {-0.5, -0.2}, new double[] {0.4, 0.3})
                    .optHorizon(1).optSamples(100).optTopK(10).optIterations(8).build();
            Plan plan = new CemPlanner(dyn, cfg).plan(z0, new double[2], goal);
            for (double[] act : plan.actions()) {
                assertTrue(act[0] >= -0.5 && act[0] <= 0.4 && act[1] >= -0.2 && act[1] <= 0.3, Arrays.toString(act));
            }
            assertEquals(0.4, plan.actions()[0][0], 0.05, "pushes against the bound toward the goal");
            assertEquals(0.3, plan.actions()[0][1], 0.05, "pushes against the bound toward the goal");
        }
    }

    @Test
    void aGoalOfAnotherSizeIsAClearError() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 1);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            CemPlanner planner = new CemPlanner(dyn, config(0, EnergyMode.LAST_FRAME));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> planner.plan(z0, new double[2], m.zeros(new Shape(N + 1, D))));
            assertTrue(e.getMessage().contains("(5, 8)") && e.getMessage().contains("(4, 8)"), e.getMessage());
        }
    }

    @Test
    void boundsOfTheWrongDimensionAreAClearError() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CemPlanner(dyn, CemConfig.builder(3, 1.0).build()));
            assertTrue(e.getMessage().contains("3 dimensions") && e.getMessage().contains("dimension 2"),
                    e.getMessage());
            IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                    () -> CemConfig.builder(2, 1.0).setBounds(new double[] {-1, -1}, new double[] {1}).build());
            assertTrue(mismatch.getMessage().contains("same, non-zero length"), mismatch.getMessage());
        }
    }

    @Test
    void aWarmStartBeginsTheSearchAtTheGivenMeanAndAWrongShapeIsNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 7);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            NDArray goal = dyn.apply(z0, new double[][] {{0.6, -0.3}});
            // one iteration, zero std, momentum 0: the plan is the mean of the (identical) candidates, i.e. the start
            CemConfig frozen = CemConfig.builder(2, 1.0).optHorizon(2).optSamples(4).optTopK(2).optIterations(1)
                    .optMomentum(0, 0).optInitialStd(new double[] {0, 0}).build();
            CemPlanner planner = new CemPlanner(dyn, frozen);
            double[][] start = {{0.25, -0.5}, {2.0, 0.1}};
            Plan warm = planner.plan(z0, new double[2], goal, start);
            assertArrayEquals(start[0], warm.actions()[0], 1e-6);
            assertArrayEquals(new double[] {1.0, 0.1}, warm.actions()[1], 1e-6, "clipped to the bounds");
            assertArrayEquals(new double[] {0, 0}, planner.plan(z0, new double[2], goal).actions()[0], 1e-6);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> planner.plan(z0, new double[2], goal, new double[][] {{0, 0}}));
            assertTrue(e.getMessage().contains("horizon is 2"), e.getMessage());
        }
    }

    @Test
    void anActionCostHoldsStillWhereTheEnergyIsFlat() {
        try (NDManager m = NDManager.newBaseManager()) {
            // a world model in which actions change nothing: the goal energy is flat, only the cost ranks candidates
            LatentDynamics inert = new LatentDynamics() {
                @Override
                public int actionDim() {
                    return 2;
                }

                @Override
                public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
                    Shape a = actions.getShape();
                    return tokens.expandDims(0).expandDims(0).broadcast(new Shape(a.get(0), a.get(1), N, D))
                            .duplicate(); // [S, H, N, D]
                }
            };
            NDArray z0 = m.randomNormal(new Shape(N, D));
            CemConfig.Builder b = CemConfig.builder(2, 1.0).optHorizon(2).optSamples(64).optTopK(8).optIterations(6)
                    .optEnergyMode(EnergyMode.ALL_FRAMES).optSeed(3);
            double freeNorm = norm(new CemPlanner(inert, b.build()).plan(z0, new double[2], z0).actions());
            double costlyNorm = norm(new CemPlanner(inert, b.optActionCost(0.1).build()).plan(z0, new double[2], z0)
                    .actions());
            assertTrue(freeNorm > 0.1, "without a cost the mean wanders: " + freeNorm);
            assertTrue(costlyNorm < 0.05, "with a cost it holds still: " + costlyNorm);
            // where the energy has a slope the cost does not stop the agent from going to the goal
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 7);
            NDArray goal = dyn.apply(z0, new double[][] {{0.6, -0.3}});
            Plan go = new CemPlanner(dyn, CemConfig.builder(2, 1.0).optHorizon(1).optSamples(200).optTopK(10)
                    .optIterations(12).optSeed(3).optActionCost(0.05).build()).plan(z0, new double[2], goal);
            assertArrayEquals(new double[] {0.6, -0.3}, go.actions()[0], 0.1, Arrays.deepToString(go.actions()));
            assertThrows(IllegalArgumentException.class, () -> CemConfig.builder(2, 1.0).optActionCost(-1).build());
        }
    }

    @Test
    void theHoldCheckKeepsStillAtTheGoalButStillMovesTowardAFarOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 7);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            CemConfig.Builder few = CemConfig.builder(2, 1.0).optHorizon(2).optSamples(16).optTopK(4)
                    .optIterations(2).optEnergyMode(EnergyMode.ALL_FRAMES).optSeed(5);
            double[][] jitter = new CemPlanner(dyn, few.build()).plan(z0, new double[2], z0).actions();
            assertTrue(norm(jitter) > 0.01, "a few samples leave the mean off zero: " + Arrays.deepToString(jitter));
            double[][] held = new CemPlanner(dyn, few.optHoldCheck(true).build()).plan(z0, new double[2], z0)
                    .actions();
            assertArrayEquals(new double[] {0, 0}, held[0], 0.0, "holding still beats any motion at the goal");
            NDArray far = dyn.apply(z0, new double[][] {{0.8, 0.8}, {0.8, 0.8}});
            double[][] go = new CemPlanner(dyn, few.optHoldCheck(true).build()).plan(z0, new double[2], far)
                    .actions();
            assertTrue(go[0][0] > 0.1 && go[0][1] > 0.1, "toward a far goal: " + Arrays.deepToString(go));
        }
    }

    @Test
    void aGoalToleranceHoldsWithoutSearchingWhereTheObservationMatchesTheGoal() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 7);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            NDArray near = z0.add(m.randomNormal(new Shape(N, D)).mul(0.01)); // observed energy about 0.01
            NDArray far = dyn.apply(z0, new double[][] {{0.6, -0.3}});
            CemConfig.Builder b = CemConfig.builder(2, 1.0).optHorizon(1).optSamples(100).optTopK(10)
                    .optIterations(6).optSeed(1);
            double[][] searched = new CemPlanner(dyn, b.build()).plan(z0, new double[2], near).actions();
            assertTrue(norm(searched) > 1e-4, "without a tolerance the search moves: " + Arrays.deepToString(searched));
            CemPlanner tolerant = new CemPlanner(dyn, b.optGoalTolerance(0.05).build());
            dyn.calls = 0;
            Plan held = tolerant.plan(z0, new double[2], near);
            assertArrayEquals(new double[] {0, 0}, held.actions()[0], 0.0);
            assertEquals(0, dyn.calls, "no rollout when the observation is within the tolerance");
            assertTrue(held.energy() <= 0.05 && held.bestPerIteration().length == 0, "energy " + held.energy());
            Plan go = tolerant.plan(z0, new double[2], far);
            assertArrayEquals(new double[] {0.6, -0.3}, go.actions()[0], 0.1, "a far goal is searched as before");
            assertThrows(IllegalArgumentException.class, () -> b.optGoalTolerance(-0.1).build());
        }
    }

    private static double norm(double[][] actions) {
        double s = 0;
        for (double[] a : actions) {
            s += Math.hypot(a[0], a[1]);
        }
        return s / actions.length;
    }
}
