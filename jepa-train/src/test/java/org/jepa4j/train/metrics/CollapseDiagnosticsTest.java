package org.jepa4j.train.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CollapseDiagnosticsTest {

    /** Columns of a random matrix made orthonormal by Gram-Schmidt: [rows, cols]. */
    private static double[][] orthonormal(int rows, int cols, Random r) {
        double[][] q = new double[cols][rows];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                q[j][i] = r.nextGaussian();
            }
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < rows; i++) {
                    dot += q[j][i] * q[k][i];
                }
                for (int i = 0; i < rows; i++) {
                    q[j][i] -= dot * q[k][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++) {
                norm += q[j][i] * q[j][i];
            }
            for (int i = 0; i < rows; i++) {
                q[j][i] /= Math.sqrt(norm);
            }
        }
        return q; // q[j] is column j
    }

    /** X = U diag(s) V^T with random orthonormal U [n, r], V [d, r]: singular values exactly s. */
    private static float[] withSingularValues(int n, int d, double[] s, long seed) {
        Random r = new Random(seed);
        double[][] u = orthonormal(n, s.length, r);
        double[][] v = orthonormal(d, s.length, r);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int k = 0; k < s.length; k++) {
                    sum += u[k][i] * s[k] * v[k][j];
                }
                x[i * d + j] = (float) sum;
            }
        }
        return x;
    }

    @Test
    void jacobiFindsKnownEigenvalues() {
        double[][] a = {{2, -1, 0}, {-1, 2, -1}, {0, -1, 2}}; // eigenvalues 2 - sqrt2, 2, 2 + sqrt2
        assertArrayEquals(new double[] {2 - Math.sqrt(2), 2, 2 + Math.sqrt(2)},
                CollapseDiagnostics.symmetricEigenvalues(a), 1e-12);
    }

    @Test
    void rankMeOfMatricesWithKnownRank() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int rank : new int[] {1, 3, 8}) {
                double[] s = new double[rank];
                java.util.Arrays.fill(s, 2.5);
                NDArray x = m.create(withSingularValues(40, 24, s, rank), new Shape(40, 24));
                CollapseStats stats = CollapseDiagnostics.compute(x);
                assertEquals(rank, stats.rankMe(), 1e-3 * rank, "equal singular values on rank " + rank);
                assertEquals(40, stats.samples());
                assertEquals(24, stats.dims());
            }
            // Unequal spectrum: RankMe equals the formula on the true singular values; also for N > D.
            double[] s = {10, 5, 2, 1, 0.5};
            NDArray wide = m.create(withSingularValues(12, 30, s, 1), new Shape(12, 30));
            NDArray tall = m.create(withSingularValues(50, 16, s, 2), new Shape(50, 16));
            double expected = CollapseDiagnostics.rankMe(s);
            assertTrue(expected > 2 && expected < 5, "sanity: " + expected);
            assertEquals(expected, CollapseDiagnostics.compute(wide).rankMe(), 1e-3);
            assertEquals(expected, CollapseDiagnostics.compute(tall).rankMe(), 1e-3);
        }
    }

    @Test
    void stdOfPooledFeatures() {
        try (NDManager m = NDManager.newBaseManager()) {
            // [N=4, T=2, D=2]: pooled over T -> dim 0 = {0, 2, 4, 6}, dim 1 constant 1.
            float[] data = {0, 1, 0, 1, 1, 1, 3, 1, 4, 1, 4, 1, 5, 1, 7, 1};
            CollapseStats st = CollapseDiagnostics.compute(m.create(data, new Shape(4, 2, 2)));
            double std0 = Math.sqrt((9 + 1 + 1 + 9) / 3.0);
            assertEquals(std0 / 2, st.stdMean(), 1e-6);
            assertEquals(0, st.stdMin(), 1e-12);
            List<String> w = CollapseDiagnostics.check(st, 10.0, 1.5);
            assertEquals(2, w.size(), w.toString());
            assertTrue(CollapseDiagnostics.check(new CollapseStats(8, 8, 1.0, 0.5, 6.0), 0.01, 2).isEmpty());
            assertEquals(0, CollapseDiagnostics.compute(m.zeros(new Shape(5, 3))).rankMe());
        }
    }
}
