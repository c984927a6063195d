package org.jepa4j.train.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs of representation collapse, measured on a fixed batch: the per-dimension standard deviation of
 * pooled features, and RankMe (Garrido et al. 2023), the exponential of the entropy of the normalized
 * singular values of the [N, D] embedding matrix: {@code p_k = s_k / sum(s) + eps},
 * {@code RankMe = exp(-sum p_k log p_k)} with {@code eps = 1e-7}.
 *
 * <p>DJL exposes no SVD or symmetric eigen-solver, so the singular values come from the eigenvalues of the
 * smaller Gram matrix (X X^T or X^T X, computed in float64 by the engine), found in Java with the cyclic
 * Jacobi method. Cost grows as min(N, D)^3: keep the diagnostic batch to a few hundred samples.
 */
public final class CollapseDiagnostics {

    /** The RankMe epsilon added to each normalized singular value. */
    public static final double RANKME_EPS = 1e-7;

    private static final Logger LOG = LoggerFactory.getLogger(CollapseDiagnostics.class);

    private CollapseDiagnostics() {
    }

    /**
     * Computes the statistics of a feature batch.
     *
     * @param features [N, D] pooled features, or [N, T, D] token features (mean-pooled over T first)
     * @return std and RankMe statistics
     */
    public static CollapseStats compute(NDArray features) {
        long[] shape = features.getShape().getShape();
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException("features must be [N, D] or [N, T, D], got " + features.getShape());
        }
        if (shape[0] < 2) {
            throw new IllegalArgumentException("need at least 2 samples for a std, got " + features.getShape());
        }
        try (NDScope scope = new NDScope()) {
            NDArray x = features.toType(DataType.FLOAT64, true); // [N, (T,) D]
            if (shape.length == 3) {
                x = x.mean(new int[] {1}); // [N, D]
            }
            int n = (int) shape[0];
            int d = (int) shape[shape.length - 1];
            double[] std = x.sub(x.mean(new int[] {0}, true)).square().sum(new int[] {0}).div(n - 1).sqrt()
                    .toDoubleArray(); // [D] unbiased std across samples
            NDArray gram = n <= d ? x.matMul(x.transpose()) : x.transpose().matMul(x); // [k, k], k = min(N, D)
            int k = Math.min(n, d);
            double[] flat = gram.toDoubleArray();
            double[][] g = new double[k][k];
            for (int i = 0; i < k; i++) {
                System.arraycopy(flat, i * k, g[i], 0, k);
            }
            double[] sv = singularValuesFromGram(g);
            return new CollapseStats(n, d, Arrays.stream(std).average().orElse(Double.NaN),
                    Arrays.stream(std).min().orElse(Double.NaN), rankMe(sv));
        }
    }

    /**
     * RankMe of a set of singular values.
     *
     * @param singularValues non-negative singular values
     * @return exp of the entropy of {@code s/sum(s) + eps}; 0 when all are zero
     */
    public static double rankMe(double[] singularValues) {
        double sum = 0;
        for (double s : singularValues) {
            sum += Math.abs(s);
        }
        if (sum == 0) {
            return 0;
        }
        double entropy = 0;
        for (double s : singularValues) {
            double p = Math.abs(s) / sum + RANKME_EPS;
            entropy -= p * Math.log(p);
        }
        return Math.exp(entropy);
    }

    /**
     * Singular values of X from its Gram matrix (X X^T or X^T X), descending.
     *
     * @param gram symmetric positive semi-definite matrix; not modified
     * @return sqrt of its eigenvalues (negative round-off clamped to 0), descending
     */
    public static double[] singularValuesFromGram(double[][] gram) {
        double[] eig = symmetricEigenvalues(gram);
        double[] sv = new double[eig.length];
        for (int i = 0; i < eig.length; i++) {
            sv[i] = Math.sqrt(Math.max(0, eig[eig.length - 1 - i]));
        }
        return sv;
    }

    /**
     * Eigenvalues of a symmetric matrix by the cyclic Jacobi method, ascending.
     *
     * @param matrix square symmetric matrix; not modified
     * @return eigenvalues, ascending
     */
    public static double[] symmetricEigenvalues(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("matrix is not square: row " + i + " has " + matrix[i].length);
            }
            a[i] = matrix[i].clone();
        }
        double scale = 0;
        for (double[] row : a) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int sweep = 0; sweep < 100 && scale > 0; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (Math.sqrt(off) <= 1e-15 * scale * n) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    // Rotation angle zeroing a[p][q] (Golub & Van Loan, Algorithm 8.4.1).
                    double tau = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
                    if (tau == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = t * c;
                    for (int k = 0; k < n; k++) { // columns p, q
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) { // rows p, q
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] eig = new double[n];
        for (int i = 0; i < n; i++) {
            eig[i] = a[i][i];
        }
        Arrays.sort(eig);
        return eig;
    }

    /**
     * Compares statistics with thresholds and logs a WARN for each one crossed.
     *
     * @param stats the statistics
     * @param stdMin warn when the mean per-dimension std is below this
     * @param rankMeMin warn when RankMe is below this
     * @return the warnings issued (empty when healthy)
     */
    public static List<String> check(CollapseStats stats, double stdMin, double rankMeMin) {
        List<String> warnings = new ArrayList<>();
        if (!(stats.stdMean() >= stdMin)) {
            warnings.add(String.format("possible collapse: mean per-dimension feature std %.3g < %.3g (min %.3g)",
                    stats.stdMean(), stdMin, stats.stdMin()));
        }
        if (!(stats.rankMe() >= rankMeMin)) {
            warnings.add(String.format("possible collapse: RankMe %.2f < %.2f (of at most %d)",
                    stats.rankMe(), rankMeMin, Math.min(stats.samples(), stats.dims())));
        }
        warnings.forEach(LOG::warn);
        return warnings;
    }
}
