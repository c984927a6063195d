package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The planner's iCEM options (coloured noise, kept elites, population decay, best sequence) on a linear world. */
class IcemOptionsTest {

    private static final int N = 4;
    private static final int D = 8;

    /** Linear dynamics that also records every batch of candidates it imagines. */
    private static final class Recording implements LatentDynamics {
        final LinearLatentDynamics inner;
        final List<float[]> batches = new ArrayList<>();
        final List<Long> sizes = new ArrayList<>();

        Recording(NDManager m, long seed) {
            inner = new LinearLatentDynamics(m, N, D, 2, seed);
        }

        @Override
        public int actionDim() {
            return 2;
        }

        @Override
        public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
            batches.add(actions.toFloatArray());
            sizes.add(actions.getShape().get(0));
            return inner.rollout(tokens, state, actions);
        }
    }

    @Test
    void colouredNoiseHasUnitVarianceAndCorrelatedNeighbours() {
        Random rng = new Random(1);
        double[] white = stats(0, rng);
        double[] red = stats(2, rng);
        assertEquals(1.0, white[0], 0.05, "white variance");
        assertEquals(1.0, red[0], 0.05, "red variance");
        assertEquals(0.0, white[1], 0.05, "white noise: neighbours uncorrelated");
        assertTrue(red[1] > 0.5, "beta 2: neighbours strongly correlated, lag-1 correlation " + red[1]);
        assertThrows(IllegalArgumentException.class, () -> ColouredNoise.sample(4, -1, rng));
    }

    /** {variance, lag-1 correlation} of many length-8 sequences. */
    private static double[] stats(double beta, Random rng) {
        double sq = 0;
        double lag = 0;
        int n = 0;
        int pairs = 0;
        for (int i = 0; i < 20000; i++) {
            double[] y = ColouredNoise.sample(8, beta, rng);
            for (int t = 0; t < y.length; t++) {
                sq += y[t] * y[t];
                n++;
                if (t > 0) {
                    lag += y[t] * y[t - 1];
                    pairs++;
                }
            }
        }
        return new double[] {sq / n, (lag / pairs) / (sq / n)};
    }

    @Test
    void colouredNoiseGivesSmootherCandidateSequences() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z0 = m.randomNormal(new Shape(N, D));
            double white = roughness(m, z0, 0);
            double red = roughness(m, z0, 3);
            // mean |a_{t+1} - a_t| of the first iteration's candidates (std 0.3 keeps most of them inside the bounds)
            assertTrue(red < 0.75 * white, "coloured " + red + " vs white " + white);
        }
    }

    private static double roughness(NDManager m, NDArray z0, double beta) {
        Recording dyn = new Recording(m, 7);
        int h = 8;
        new CemPlanner(dyn, CemConfig.builder(2, 1.0).optHorizon(h).optSamples(200).optTopK(10).optIterations(1)
                .optInitialStd(new double[] {0.3, 0.3}).optNoiseBeta(beta).optSeed(4).build())
                .plan(z0, new double[2], z0);
        float[] c = dyn.batches.get(0);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 200; i++) {
            for (int t = 1; t < h; t++) {
                for (int d = 0; d < 2; d++) {
                    sum += Math.abs(c[(i * h + t) * 2 + d] - c[(i * h + t - 1) * 2 + d]);
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void keptElitesMakeTheBestEnergyNonIncreasingOverIterations() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 7);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            NDArray goal = dyn.apply(z0, new double[][] {{0.5, -0.4}, {0.3, 0.2}});
            // few samples, no momentum: the best of a fresh population can be worse than the last iteration's
            CemConfig.Builder b = CemConfig.builder(2, 1.0).optHorizon(2).optSamples(6).optTopK(3).optIterations(12)
                    .optMomentum(0, 0).optSeed(2);
            double[] plain = new CemPlanner(dyn, b.build()).plan(z0, new double[2], goal).bestPerIteration();
            assertFalse(nonIncreasing(plain), "without kept elites the best can get worse: " + Arrays.toString(plain));
            Plan kept = new CemPlanner(dyn, b.optKeepElites(0.34).build()).plan(z0, new double[2], goal);
            assertTrue(nonIncreasing(kept.bestPerIteration()), Arrays.toString(kept.bestPerIteration()));
            assertEquals(1, kept.elites().length, "round(0.34 x 3) elites handed to the next replan");
            assertEquals(kept.bestPerIteration()[11], kept.energy(), 0.0);
            assertThrows(IllegalArgumentException.class, () -> b.optKeepElites(1.5).build());
        }
    }

    private static boolean nonIncreasing(double[] v) {
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[i - 1]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void thePopulationDecaysPerIterationDownToTwiceTheElitesAndInitialElitesJoinTheFirst() {
        try (NDManager m = NDManager.newBaseManager()) {
            Recording dyn = new Recording(m, 3);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            CemPlanner planner = new CemPlanner(dyn, CemConfig.builder(2, 1.0).optHorizon(2).optSamples(100)
                    .optTopK(10).optIterations(5).optSampleDecay(2).optSeed(1).build());
            double[][][] seeds = {{{0.9, 0.9}, {0.9, 0.9}}, {{-0.1, 0.2}, {5, 0}}};
            planner.plan(z0, new double[2], z0, null, seeds);
            assertEquals(List.of(102L, 50L, 25L, 20L, 20L), dyn.sizes, "100/2^i, at least 2 x top-k; +2 seeds first");
            float[] first = dyn.batches.get(0);
            assertArrayEquals(new float[] {0.9f, 0.9f, 0.9f, 0.9f, -0.1f, 0.2f, 1f, 0f},
                    Arrays.copyOfRange(first, 100 * 4, 102 * 4), 1e-6f, "the seeds, clipped to the bounds");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> planner.plan(z0, new double[2], z0, null, new double[][][] {{{0, 0}}}));
            assertTrue(e.getMessage().contains("initial elite"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CemConfig.builder(2, 1.0).optSampleDecay(0.5).build());
        }
    }

    @Test
    void returnBestGivesTheLowestEnergySequenceScoredAndIsDeterministicForASeed() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, N, D, 2, 5);
            NDArray z0 = m.randomNormal(new Shape(N, D));
            NDArray goal = dyn.apply(z0, new double[][] {{0.6, 0.1}, {-0.2, 0.4}});
            CemConfig.Builder b = CemConfig.builder(2, 1.0).optHorizon(2).optSamples(32).optTopK(4).optIterations(4)
                    .optEnergyMode(EnergyMode.ALL_FRAMES).optActionCost(0.01).optNoiseBeta(2).optKeepElites(0.5)
                    .optSampleDecay(1.25).optReturnBest(true).optSeed(9);
            Plan p = new CemPlanner(dyn, b.build()).plan(z0, new double[2], goal);
            double min = Arrays.stream(p.bestPerIteration()).min().orElseThrow();
            assertEquals(min, p.energy(), 0.0, "the best over all iterations");
            // the returned sequence is the one that scored that energy
            float[] flat = new float[4];
            for (int t = 0; t < 2; t++) {
                for (int d = 0; d < 2; d++) {
                    flat[t * 2 + d] = (float) p.actions()[t][d];
                }
            }
            NDArray imagined = dyn.rollout(z0, m.zeros(new Shape(2)), m.create(flat, new Shape(1, 2, 2)));
            double energy = GoalEnergy.of(imagined, goal, EnergyMode.ALL_FRAMES).getFloat()
                    + 0.01 * (Math.hypot(flat[0], flat[1]) + Math.hypot(flat[2], flat[3])) / 2;
            assertEquals(p.energy(), energy, 1e-4);
            Plan again = new CemPlanner(dyn, b.build()).plan(z0, new double[2], goal);
            assertTrue(Arrays.deepEquals(p.actions(), again.actions()), "same seed, same plan");
            Plan other = new CemPlanner(dyn, b.optSeed(10).build()).plan(z0, new double[2], goal);
            assertFalse(Arrays.deepEquals(p.actions(), other.actions()), "another seed, another plan");
        }
    }
}
