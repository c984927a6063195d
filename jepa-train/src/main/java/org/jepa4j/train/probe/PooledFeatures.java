package org.jepa4j.train.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.train.features.FeatureSet;
import org.jepa4j.video.loader.Batch;
import org.jepa4j.video.loader.ClipLoader;

/**
 * Mean-pooled encoder features of every clip of a loader's first epoch, held in Java memory with their labels, as a
 * {@link FeatureSet} for {@link ProbeTrainer} (one sample per clip).
 */
public final class PooledFeatures {

    private PooledFeatures() {
    }

    /**
     * Encodes every clip of {@code loader}'s first epoch (no gradients) and mean-pools its tokens.
     *
     * @param encoder the encoder (its parameters' device is used)
     * @param loader clips with labels (shuffle off for a reproducible order)
     * @return the pooled features {@code [D]} per clip, each clip its own sample, label names from the source
     */
    public static FeatureSet of(VisionTransformer encoder, ClipLoader loader) {
        int n = loader.source().size();
        float[][] x = new float[n][];
        int[] y = new int[n];
        int i = 0;
        int d = encoder.config().width();
        try (NoGrad ignored = NoGrad.enter()) {
            for (Batch b : loader.epoch(0)) {
                try (b; NDScope scope = new NDScope()) {
                    NDArray video = b.video().toDevice(
                            encoder.parameters().values().iterator().next().getDevice(), false); // [B, C, T, H, W]
                    NDArray f = encoder.forward(video).mean(new int[] {1}); // [B, N, D] -> [B, D]
                    float[] flat = f.toType(DataType.FLOAT32, false).toFloatArray();
                    int[] labels = b.labels();
                    for (int r = 0; r < labels.length; r++) {
                        if (i == x.length) {
                            x = Arrays.copyOf(x, 2 * x.length + 1);
                            y = Arrays.copyOf(y, 2 * y.length + 1);
                        }
                        x[i] = Arrays.copyOfRange(flat, r * d, (r + 1) * d);
                        y[i] = labels[r];
                        i++;
                    }
                }
            }
        }
        int[] samples = java.util.stream.IntStream.range(0, i).toArray();
        return FeatureSet.of(null, Arrays.copyOf(x, i), 0, d, Arrays.copyOf(y, i), samples,
                loader.source().labelNames());
    }
}
