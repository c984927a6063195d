package org.jepa4j.video.mask;

import java.util.List;
import java.util.Random;
import org.jepa4j.core.model.TokenGrid;

/**
 * Samples the JEPA masks of one batch: one {@link MaskSet} per mask set of the recipe (for V-JEPA the
 * short-range and long-range sets; for I-JEPA one set per target block, all sharing the context, see
 * {@link MultiBlock2dMaskGenerator}).
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

    /**
     * The token grid (frames/tubelet x rows x columns) this generator was configured for.
     *
     * @return the grid whose flat token indices {@link #sample} draws from
     */
    TokenGrid grid();

    /**
     * Number of tokens in the full grid this generator was configured for.
     *
     * @return T' x H' x W' of {@link #grid()}, the exclusive upper bound of every sampled token index
     */
    default int numTokens() {
        return grid().numTokens();
    }

    /**
     * Labels of the mask sets {@link #sample} returns, in the same order (used by statistics, pictures and
     * logs). The default draws one batch of size 1 from a fixed seed to count the sets and names them
     * {@code set-0, set-1, ...}; the generators of this package override it.
     *
     * @return one name per mask set
     */
    default List<String> maskSetNames() {
        int n = sample(1, new Random(0)).size();
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "set-" + i).toList();
    }
}
