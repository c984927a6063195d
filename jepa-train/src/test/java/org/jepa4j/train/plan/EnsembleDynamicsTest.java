package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnsembleDynamicsTest {

    private static final int N = 4;
    private static final int D = 8;

    /** Seeded normal values, the same on every run. */
    private static NDArray gaussian(NDManager m, long seed, Shape shape) {
        java.util.Random rng = new java.util.Random(seed);
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return m.create(v, shape);
    }

    @Test
    void energyIsTheMeanOfTheMembersEnergiesAndRolloutTheMeanOfTheirTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics a = new LinearLatentDynamics(m, N, D, 2, 1);
            LinearLatentDynamics b = new LinearLatentDynamics(m, N, D, 2, 2);
            LinearLatentDynamics c = new LinearLatentDynamics(m, N, D, 2, 3);
            EnsembleDynamics ensemble = new EnsembleDynamics(List.of(a, b, c));
            NDArray z0 = gaussian(m, 11, new Shape(N, D));
            NDArray goal = gaussian(m, 12, new Shape(N, D));
            NDArray actions = gaussian(m, 13, new Shape(5, 3, 2)).clip(-1, 1); // [S, H, A]
            NDArray state = m.zeros(new Shape(2));
            for (EnergyMode mode : EnergyMode.values()) {
                float[] got = ensemble.energy(z0, state, actions, goal, mode).toFloatArray(); // [S]
                float[] ea = GoalEnergy.of(a.rollout(z0, state, actions), goal, mode).toFloatArray();
                float[] eb = GoalEnergy.of(b.rollout(z0, state, actions), goal, mode).toFloatArray();
                float[] ec = GoalEnergy.of(c.rollout(z0, state, actions), goal, mode).toFloatArray();
                assertEquals(5, got.length);
                for (int i = 0; i < got.length; i++) {
                    assertEquals((ea[i] + eb[i] + ec[i]) / 3, got[i], 1e-5, mode + " candidate " + i);
                }
                // not the energy of the mean rollout
                float[] ofMean = GoalEnergy.of(ensemble.rollout(z0, state, actions), goal, mode).toFloatArray();
                assertTrue(Math.abs(ofMean[0] - got[0]) > 1e-3, Arrays.toString(ofMean) + " vs " + Arrays.toString(got));
            }
            NDArray mean = a.rollout(z0, state, actions).add(b.rollout(z0, state, actions))
                    .add(c.rollout(z0, state, actions)).div(3); // [S, H, N, D]
            NDArray rolled = ensemble.rollout(z0, state, actions);
            assertEquals(new Shape(5, 3, N, D), rolled.getShape());
            assertTrue(rolled.sub(mean).abs().max().getFloat() < 1e-5f);
            assertEquals(3, ensemble.size());
            assertEquals(2, ensemble.actionDim());
        }
    }

    @Test
    void aPlannerWithAOneMemberEnsemblePlansExactlyAsWithTheMember() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 7);
            NDArray z0 = gaussian(m, 14, new Shape(N, D));
            NDArray goal = dyn.apply(z0, new double[][] {{0.5, 0.2}});
            CemConfig cfg = CemConfig.builder(2, 1.0).optHorizon(2).optSamples(32).optTopK(4).optIterations(3)
                    .optSeed(5).build();
            Plan alone = new CemPlanner(dyn, cfg).plan(z0, new double[2], goal);
            Plan inEnsemble = new CemPlanner(new EnsembleDynamics(List.of(dyn)), cfg).plan(z0, new double[2], goal);
            for (int t = 0; t < alone.actions().length; t++) {
                assertArrayEquals(alone.actions()[t], inEnsemble.actions()[t], 1e-6);
            }
        }
    }

    @Test
    void badMembersAreNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> new EnsembleDynamics(List.of()));
            assertTrue(empty.getMessage().contains("at least one member"), empty.getMessage());
            IllegalArgumentException dims = assertThrows(IllegalArgumentException.class,
                    () -> new EnsembleDynamics(List.of(new LinearLatentDynamics(m, N, D, 2, 1),
                            new LinearLatentDynamics(m, N, D, 3, 1))));
            assertTrue(dims.getMessage().contains("member 1") && dims.getMessage().contains("dimension 3"),
                    dims.getMessage());
        }
    }
}
