package org.jepa4j.video.synthetic;

/**
 * How a physics scene looks, separate from how it moves: frame size, disc sizes, background, floor and an extra
 * occluding bar. The benchmark's default look is {@link #standard(int)}; the others test generalisation to looks a
 * model was not trained on.
 *
 * @param size frame width and height in pixels (even, at least 16)
 * @param minRadius smallest disc radius, in pixels of a 64-pixel frame (scaled with {@code size})
 * @param maxRadius largest disc radius, same units
 * @param textured whether the background is a fixed random texture instead of a flat shade
 * @param floor whether a floor strip (a tenth of the height) lies at the bottom; discs bounce on it
 * @param bar whether a horizontal occluding bar crosses the upper half, in front of the discs
 * @param brightColors whether discs use a second palette the standard look never shows
 */
public record SceneLook(int size, double minRadius, double maxRadius, boolean textured, boolean floor, boolean bar,
        boolean brightColors) {

    /** Validates the settings. */
    public SceneLook {
        if (size < 16 || size % 2 != 0) {
            throw new IllegalArgumentException("size must be even and >= 16, got " + size);
        }
        if (!(minRadius > 0 && maxRadius >= minRadius && maxRadius < 20)) {
            throw new IllegalArgumentException("disc radii must satisfy 0 < min <= max < 20 (pixels at 64 px), got "
                    + minRadius + ", " + maxRadius);
        }
    }

    /**
     * The benchmark's look: flat background, discs of radius 5-8 (at 64 px), no floor, no bar.
     *
     * @param size frame size in pixels
     * @return the look
     */
    public static SceneLook standard(int size) {
        return new SceneLook(size, 5, 8, false, false, false, false);
    }

    /**
     * A look the standard training data never shows: smaller and larger discs in other colours on a textured
     * background, with a floor and an occluding bar.
     *
     * @param size frame size in pixels
     * @return the look
     */
    public static SceneLook other(int size) {
        return new SceneLook(size, 3.5, 10, true, true, true, true);
    }
}
