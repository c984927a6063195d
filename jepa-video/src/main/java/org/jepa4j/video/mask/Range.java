package org.jepa4j.video.mask;

/**
 * A closed interval {@code [min, max]} from which a mask parameter (scale, aspect ratio) is drawn uniformly.
 *
 * <p>The reference configurations write these as pairs, e.g. {@code spatial_scale: [0.15, 0.15]}; a
 * degenerate range ({@code min == max}) is a fixed value.
 *
 * @param min lower end (inclusive)
 * @param max upper end (inclusive), at least {@code min}
 */
public record Range(double min, double max) {

    /** Checks that both ends are finite and ordered. */
    public Range {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("range ends must be finite numbers, got [" + min + ", " + max + "]");
        }
        if (min > max) {
            throw new IllegalArgumentException("range min must not exceed max, got [" + min + ", " + max + "]");
        }
    }

    /**
     * Creates the range {@code [min, max]}.
     *
     * @param min lower end
     * @param max upper end
     * @return the range
     */
    public static Range of(double min, double max) {
        return new Range(min, max);
    }

    /**
     * Creates the degenerate range {@code [value, value]}.
     *
     * @param value the fixed value
     * @return the range
     */
    public static Range fixed(double value) {
        return new Range(value, value);
    }

    /**
     * Maps a uniform number {@code u} in [0, 1) to {@code min + u * (max - min)}.
     *
     * @param u a uniform sample in [0, 1)
     * @return the corresponding point of the range
     */
    public double at(double u) {
        return min + u * (max - min);
    }

    /**
     * Throws unless both ends lie in {@code (low, high]}.
     *
     * @param what name of the parameter, used in the message
     * @param low exclusive lower bound
     * @param high inclusive upper bound
     */
    void requireWithin(String what, double low, double high) {
        if (min <= low || max > high) {
            throw new IllegalArgumentException(
                    what + " must lie in (" + low + ", " + high + "], got [" + min + ", " + max + "]");
        }
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
