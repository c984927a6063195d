package org.jepa4j.train.probe;

/**
 * A binary linear probe in plain Java: logistic regression on standardized pooled features, trained by full-batch
 * gradient descent (2000 iterations, step 0.5, L2 1e-3). Deterministic (weights start at zero), no engine arrays:
 * a quick check of what frozen features make linearly separable, e.g. the motion direction of synthetic clips.
 */
public final class LogisticProbe {

    private static final int ITERATIONS = 2000;
    private static final double STEP = 0.5;
    private static final double L2 = 1e-3;

    private LogisticProbe() {
    }

    /**
     * Trains on {@code train} (labels 0 or 1; standardization statistics from the training rows) and returns the
     * accuracy on {@code test}.
     *
     * @param train training rows
     * @param test evaluation rows
     * @return the share of {@code test} rows classified correctly
     * @throws IllegalArgumentException if a set is empty, widths differ or a label is not 0 or 1
     */
    public static double accuracy(PooledFeatures train, PooledFeatures test) {
        if (train.size() == 0 || test.size() == 0) {
            throw new IllegalArgumentException("logistic probe needs training and test rows, got " + train.size()
                    + " and " + test.size());
        }
        int d = train.x()[0].length;
        if (test.x()[0].length != d) {
            throw new IllegalArgumentException("feature widths differ: train " + d + ", test " + test.x()[0].length);
        }
        for (int[] labels : new int[][] {train.y(), test.y()}) {
            for (int v : labels) {
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException("logistic probe labels must be 0 or 1, got " + v);
                }
            }
        }
        double[][] trainX = standardized(train.x(), train.x(), d);
        double[][] testX = standardized(test.x(), train.x(), d);
        int[] trainY = train.y();
        double[] w = new double[d];
        double bias = 0;
        for (int it = 0; it < ITERATIONS; it++) {
            double[] gw = new double[d];
            double gb = 0;
            for (int i = 0; i < trainX.length; i++) {
                double err = sigmoid(logit(w, bias, trainX[i])) - trainY[i];
                for (int k = 0; k < d; k++) {
                    gw[k] += err * trainX[i][k] / trainX.length;
                }
                gb += err / trainX.length;
            }
            for (int k = 0; k < d; k++) {
                w[k] -= STEP * (gw[k] + L2 * w[k]);
            }
            bias -= STEP * gb;
        }
        int correct = 0;
        for (int i = 0; i < testX.length; i++) {
            if ((logit(w, bias, testX[i]) > 0 ? 1 : 0) == test.y()[i]) {
                correct++;
            }
        }
        return (double) correct / testX.length;
    }

    /** Rows of {@code x} standardized with the per-column mean and std of {@code reference}. */
    private static double[][] standardized(double[][] x, double[][] reference, int d) {
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] r : reference) {
            for (int k = 0; k < d; k++) {
                mean[k] += r[k] / reference.length;
            }
        }
        for (double[] r : reference) {
            for (int k = 0; k < d; k++) {
                std[k] += (r[k] - mean[k]) * (r[k] - mean[k]) / reference.length;
            }
        }
        double[][] out = new double[x.length][d];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < d; k++) {
                out[i][k] = (x[i][k] - mean[k]) / (Math.sqrt(std[k]) + 1e-6);
            }
        }
        return out;
    }

    private static double logit(double[] w, double bias, double[] row) {
        double z = bias;
        for (int k = 0; k < w.length; k++) {
            z += w[k] * row[k];
        }
        return z;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
