package org.jepa4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Arrays;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.target.NoGrad;
import org.jepa4j.video.loader.Batch;
import org.jepa4j.video.loader.ClipLoader;

/** A frozen-encoder linear probe for the tests: mean-pooled features, standardized, logistic regression. */
final class Probes {

    private Probes() {
    }

    /** Pooled features [N][D] and labels of every sample of a loader's first epoch (no shuffle expected). */
    static Object[] features(VisionTransformer encoder, ClipLoader loader) {
        int n = loader.source().size();
        double[][] x = new double[n][];
        int[] y = new int[n];
        int i = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            for (Batch b : loader.epoch(0)) {
                try (b; NDScope scope = new NDScope()) {
                    NDArray f = encoder.forward(b.video().toDevice(
                            encoder.parameters().values().iterator().next().getDevice(), false)).mean(new int[] {1}); // [B, D]
                    float[] flat = f.toFloatArray();
                    int d = (int) f.getShape().get(1);
                    int[] labels = b.labels();
                    for (int r = 0; r < labels.length; r++) {
                        double[] row = new double[d];
                        for (int k = 0; k < d; k++) {
                            row[k] = flat[r * d + k];
                        }
                        x[i] = row;
                        y[i] = labels[r];
                        i++;
                    }
                }
            }
        }
        return new Object[] {Arrays.copyOf(x, i), Arrays.copyOf(y, i)};
    }

    /**
     * Trains a binary logistic regression (L2 1e-3, full-batch gradient descent on standardized features) on the
     * training set and returns the accuracy on the test set.
     */
    static double logisticAccuracy(double[][] trainX, int[] trainY, double[][] testX, int[] testY) {
        int d = trainX[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] r : trainX) {
            for (int k = 0; k < d; k++) {
                mean[k] += r[k] / trainX.length;
            }
        }
        for (double[] r : trainX) {
            for (int k = 0; k < d; k++) {
                std[k] += (r[k] - mean[k]) * (r[k] - mean[k]) / trainX.length;
            }
        }
        for (int k = 0; k < d; k++) {
            std[k] = Math.sqrt(std[k]) + 1e-6;
        }
        double[] w = new double[d];
        double bias = 0;
        for (int it = 0; it < 2000; it++) {
            double[] gw = new double[d];
            double gb = 0;
            for (int i = 0; i < trainX.length; i++) {
                double z = bias;
                for (int k = 0; k < d; k++) {
                    z += w[k] * (trainX[i][k] - mean[k]) / std[k];
                }
                double err = 1 / (1 + Math.exp(-z)) - trainY[i];
                for (int k = 0; k < d; k++) {
                    gw[k] += err * (trainX[i][k] - mean[k]) / std[k] / trainX.length;
                }
                gb += err / trainX.length;
            }
            for (int k = 0; k < d; k++) {
                w[k] -= 0.5 * (gw[k] + 1e-3 * w[k]);
            }
            bias -= 0.5 * gb;
        }
        int correct = 0;
        for (int i = 0; i < testX.length; i++) {
            double z = bias;
            for (int k = 0; k < d; k++) {
                z += w[k] * (testX[i][k] - mean[k]) / std[k];
            }
            if ((z > 0 ? 1 : 0) == testY[i]) {
                correct++;
            }
        }
        return (double) correct / testX.length;
    }
}
