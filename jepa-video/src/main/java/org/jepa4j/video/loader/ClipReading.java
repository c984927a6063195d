package org.jepa4j.video.loader;

import java.util.Objects;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.transform.ClipTransform;

/**
 * What a loader reads and how many at a time: the loader settings a user of a {@link ClipLoader} passes on
 * (feature extraction, evaluation) instead of declaring each of them again.
 *
 * <pre>{@code
 * ClipReading reading = ClipReading.of(ClipSampling.ofStep(16, 4), ClipTransform.eval(224)).withBatchSize(8);
 * FeatureExtractor.builder().setEncoder(encoder).optReading(reading).build();
 * }</pre>
 *
 * @param sampling which frames make a clip, and how many clips per video
 * @param transform the spatial transform
 * @param imageMode one frame per sample and tensors {@code [R, C, H, W]}
 * @param batchSize samples per batch, at least 1
 * @param workers decoding threads, at least 1
 */
public record ClipReading(ClipSampling sampling, ClipTransform transform, boolean imageMode, int batchSize,
        int workers) {

    /** Default decoding threads: two, or one on a one-core machine. */
    public static final int DEFAULT_WORKERS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    /** Checks the values. */
    public ClipReading {
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(transform, "transform");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
    }

    /**
     * Videos read with a sampling and a transform, 4 samples per batch, {@link #DEFAULT_WORKERS} threads.
     *
     * @param sampling which frames make a clip
     * @param transform the spatial transform
     * @return the settings
     */
    public static ClipReading of(ClipSampling sampling, ClipTransform transform) {
        return new ClipReading(sampling, transform, false, 4, DEFAULT_WORKERS);
    }

    /**
     * The same settings with another batch size.
     *
     * @param n samples per batch
     * @return a copy
     */
    public ClipReading withBatchSize(int n) {
        return new ClipReading(sampling, transform, imageMode, n, workers);
    }

    /**
     * The same settings with other decoding threads.
     *
     * @param n threads
     * @return a copy
     */
    public ClipReading withWorkers(int n) {
        return new ClipReading(sampling, transform, imageMode, batchSize, n);
    }

    /**
     * The same settings reading images (or videos).
     *
     * @param images whether samples are images
     * @return a copy
     */
    public ClipReading withImageMode(boolean images) {
        return new ClipReading(sampling, transform, images, batchSize, workers);
    }

    /**
     * The same settings with another sampling.
     *
     * @param other which frames make a clip
     * @return a copy
     */
    public ClipReading withSampling(ClipSampling other) {
        return new ClipReading(other, transform, imageMode, batchSize, workers);
    }

    /**
     * The same settings with another transform.
     *
     * @param other the spatial transform
     * @return a copy
     */
    public ClipReading withTransform(ClipTransform other) {
        return new ClipReading(sampling, other, imageMode, batchSize, workers);
    }
}
