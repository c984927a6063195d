package org.jepa4j.video.mask;

import java.util.List;
import java.util.Random;

/**
 * Samples the JEPA masks of one batch: one {@link MaskSet} per mask set of the recipe (for V-JEPA the
 * short-range and long-range sets, for I-JEPA one set whose targets are the union of its blocks).
 *
 * <p>Implementations are configured with the token grid (frames/tubelet x rows x columns) and are
 * thread-safe: all randomness comes from the {@code rng} argument, so a seeded generator reproduces the
 * same masks.
 */
public interface MaskGenerator {

    /**
     * Samples masks for a batch.
     *
     * @param batchSize number of samples
     * @param rng source of randomness
     * @return one mask set per configured set, in configuration order
     */
    List<MaskSet> sample(int batchSize, Random rng);

    /** Number of tokens in the full grid this generator was configured for. */
    int numTokens();
}
