package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Random-tube masking (behaviour of {@code src/masks/random_tube.py} in facebookresearch/jepa): per sample, a
 * random subset of spatial positions is masked in every time step, so each masked position is a tube through
 * the whole clip.
 *
 * <p>Per mask set with ratio {@code r}: {@code keep = int(H * W * (1 - r))} spatial positions stay context in
 * every frame, the other positions are targets in every frame. Every sample has the same counts
 * ({@code keep * T} context, {@code (H*W - keep) * T} target), so no truncation happens. One {@link MaskSet}
 * per configured ratio; names are {@code tube-<ratio>}.
 */
public final class RandomTubeMaskGenerator implements MaskGenerator {

    private final TokenGrid grid;
    private final double[] ratios;

    /**
     * Creates a generator.
     *
     * @param grid token grid
     * @param ratios one masking ratio per mask set; each in (0, 1) and leaving at least one context and one
     *     target position per frame
     */
    public RandomTubeMaskGenerator(TokenGrid grid, List<Double> ratios) {
        this.grid = Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(ratios, "ratios");
        if (ratios.isEmpty()) {
            throw new IllegalArgumentException("random tube masking needs at least one ratio");
        }
        this.ratios = new double[ratios.size()];
        for (int i = 0; i < this.ratios.length; i++) {
            double r = Objects.requireNonNull(ratios.get(i), "ratio " + i);
            int keep = keepPerFrame(grid, r);
            if (!(r > 0 && r < 1) || keep < 1 || keep >= grid.tokensPerFrame()) {
                throw new IllegalArgumentException("random tube ratio " + i + " = " + r + " must lie in (0, 1) and keep"
                        + " between 1 and " + (grid.tokensPerFrame() - 1) + " of the " + grid.tokensPerFrame()
                        + " positions per frame (keeps " + keep + ")");
            }
            this.ratios[i] = r;
        }
    }

    /**
     * A generator with one mask set at ratio 0.9 (the reference's default).
     *
     * @param grid token grid
     * @return the generator
     */
    public static RandomTubeMaskGenerator of(TokenGrid grid) {
        return new RandomTubeMaskGenerator(grid, List.of(0.9));
    }

    /** @return the token grid */
    @Override
    public TokenGrid grid() {
        return grid;
    }

    @Override
    public List<String> maskSetNames() {
        List<String> names = new ArrayList<>(ratios.length);
        for (double r : ratios) {
            names.add("tube-" + r);
        }
        return names;
    }

    @Override
    public List<MaskSet> sample(int batchSize, Random rng) {
        MaskIds.checkSample(batchSize, rng);
        List<MaskSet> out = new ArrayList<>(ratios.length);
        for (double ratio : ratios) {
            int keep = keepPerFrame(grid, ratio);
            long[][] context = new long[batchSize][]; // [B, keep*T]
            long[][] target = new long[batchSize][]; // [B, (HW-keep)*T]
            for (int b = 0; b < batchSize; b++) {
                boolean[] kept = shuffledKeep(keep, rng); // [H*W]
                boolean[] masked = new boolean[grid.numTokens()]; // [T*H*W], tiled over time
                for (int i = 0; i < masked.length; i++) {
                    masked[i] = !kept[i % grid.tokensPerFrame()];
                }
                context[b] = MaskIds.where(masked, false);
                target[b] = MaskIds.where(masked, true);
            }
            out.add(new MaskSet(context, target));
        }
        return out;
    }

    private static int keepPerFrame(TokenGrid grid, double ratio) {
        return (int) (grid.tokensPerFrame() * (1.0 - ratio));
    }

    /** A uniformly random set of {@code keep} positions among H*W (partial Fisher-Yates). */
    private boolean[] shuffledKeep(int keep, Random rng) {
        int n = grid.tokensPerFrame();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        boolean[] kept = new boolean[n];
        for (int i = 0; i < keep; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
            kept[perm[i]] = true;
        }
        return kept;
    }
}
