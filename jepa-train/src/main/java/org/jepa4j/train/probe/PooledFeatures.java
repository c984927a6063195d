package org.jepa4j.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.Arrays;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.video.loader.Batch;
import org.jepa4j.video.loader.ClipLoader;

/**
 * Mean-pooled encoder features of every clip of a loader's first epoch, held in Java memory, with their labels.
 *
 * @param x features, one row {@code [D]} per clip
 * @param y label of each row
 */
public record PooledFeatures(double[][] x, int[] y) {

    /** Checks that rows and labels match. */
    public PooledFeatures {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " feature rows but " + y.length + " labels");
        }
    }

    /**
     * Encodes every clip of {@code loader}'s first epoch (no gradients) and mean-pools its tokens.
     *
     * @param encoder the encoder (its parameters' device is used)
     * @param loader clips with labels (shuffle off for a reproducible order)
     * @return the pooled features and labels
     */
    public static PooledFeatures of(VisionTransformer encoder, ClipLoader loader) {
        int n = loader.source().size();
        double[][] x = new double[n][];
        int[] y = new int[n];
        int i = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            for (Batch b : loader.epoch(0)) {
                try (b; NDScope scope = new NDScope()) {
                    NDArray video = b.video().toDevice(
                            encoder.parameters().values().iterator().next().getDevice(), false); // [B, C, T, H, W]
                    NDArray f = encoder.forward(video).mean(new int[] {1}); // [B, N, D] -> [B, D]
                    float[] flat = f.toFloatArray();
                    int d = (int) f.getShape().get(1);
                    int[] labels = b.labels();
                    for (int r = 0; r < labels.length; r++) {
                        if (i == x.length) {
                            x = Arrays.copyOf(x, 2 * x.length + 1);
                            y = Arrays.copyOf(y, 2 * y.length + 1);
                        }
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
        return new PooledFeatures(Arrays.copyOf(x, i), Arrays.copyOf(y, i));
    }

    /** Returns the number of rows. */
    public int size() {
        return y.length;
    }
}
