package org.jepa4j.video.mask;

import java.util.List;

/** Helpers shared by the generators: boolean masks to sorted id lists, and batch truncation. */
final class MaskIds {

    private MaskIds() {
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
