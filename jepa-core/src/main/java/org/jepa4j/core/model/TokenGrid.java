package org.jepa4j.core.model;

/**
 * The token grid of an input: {@code depth} time steps (tubelets, 1 for images) of {@code height x width}
 * patches. Token id of (t, h, w) is {@code t * height * width + h * width + w}.
 *
 * @param depth number of tubelets along time
 * @param height patches per column
 * @param width patches per row
 */
public record TokenGrid(int depth, int height, int width) {

    /** Checks the sizes are positive. */
    public TokenGrid {
        if (depth <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Token grid sizes must be > 0, got " + depth + "x" + height + "x" + width);
        }
    }

    /** Returns the number of tokens {@code depth * height * width}. */
    public int numTokens() {
        return depth * height * width;
    }
}
