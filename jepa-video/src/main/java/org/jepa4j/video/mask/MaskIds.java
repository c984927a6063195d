package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Helpers shared by the generators: argument checks, block geometry, boolean masks to sorted id lists, and
 * batch truncation.
 */
final class MaskIds {

    private MaskIds() {
    }

    /**
     * Checks the arguments of {@link MaskGenerator#sample}.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     * @throws NullPointerException if {@code rng} is null
     */
    static void checkSample(int batchSize, Random rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        Objects.requireNonNull(rng, "rng");
    }

    /**
     * Block sides for an area in tokens and a height/width ratio, as the reference multiblock collators
     * compute them: {@code h = int(round(sqrt(area * aspect)))}, {@code w = int(round(sqrt(area / aspect)))}.
     * Not clamped to the grid: each caller clamps by its own rule.
     *
     * @param area block area in tokens
     * @param aspect height/width ratio
     * @return {h, w}
     */
    static int[] blockSides(int area, double aspect) {
        return new int[] {roundHalfEven(Math.sqrt(area * aspect)), roundHalfEven(Math.sqrt(area / aspect))};
    }

    /**
     * Sets to true the tokens of the block of {@code t x h x w} tokens whose first token is at
     * (frame {@code start}, row {@code top}, column {@code left}).
     *
     * @param mask flat [T*H*W] mask over {@code grid}
     * @param grid the token grid
     */
    static void markBlock(boolean[] mask, TokenGrid grid, int start, int t, int top, int h, int left, int w) {
        for (int tt = start; tt < start + t; tt++) {
            for (int hh = top; hh < top + h; hh++) {
                int row = grid.index(tt, hh, left);
                for (int ww = 0; ww < w; ww++) {
                    mask[row + ww] = true;
                }
            }
        }
    }

    /**
     * Ids where {@code keep[i] == want}, ascending.
     *
     * @param mask a flat mask over the grid
     * @param want the value to select
     * @return sorted ids
     */
    static long[] where(boolean[] mask, boolean want) {
        int n = 0;
        for (boolean b : mask) {
            if (b == want) {
                n++;
            }
        }
        long[] ids = new long[n];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == want) {
                ids[k++] = i;
            }
        }
        return ids;
    }

    /** Number of {@code true} entries. */
    static int count(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /**
     * Cuts every row to {@code length}, keeping its first (lowest) ids, as the reference collators do.
     *
     * @param rows id rows, each at least {@code length} long
     * @param length the common length
     * @return a rectangular [rows][length] array
     */
    static long[][] truncate(List<long[]> rows, int length) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOf(rows.get(i), length);
        }
        return out;
    }

    /** Shortest row length, or {@code fallback} for an empty list. */
    static int minLength(List<long[]> rows, int fallback) {
        int min = fallback;
        for (long[] r : rows) {
            min = Math.min(min, r.length);
        }
        return min;
    }

    /** Python's {@code int(round(x))}: round half to even. */
    static int roundHalfEven(double x) {
        return (int) Math.rint(x);
    }
}
