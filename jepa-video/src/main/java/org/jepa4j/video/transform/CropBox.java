package org.jepa4j.video.transform;

/**
 * A rectangle inside a frame, in pixels.
 *
 * @param x left column
 * @param y top row
 * @param width width, >= 1
 * @param height height, >= 1
 */
public record CropBox(int x, int y, int width, int height) {

    /** Checks for a non-empty box with a non-negative origin. */
    public CropBox {
        if (x < 0 || y < 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException("invalid crop box x=" + x + " y=" + y + " w=" + width + " h=" + height);
        }
    }

    /**
     * Whether the box fits in a frame of the given size.
     *
     * @param frameWidth frame width in pixels
     * @param frameHeight frame height in pixels
     * @return whether the box lies inside the frame
     */
    public boolean fitsIn(int frameWidth, int frameHeight) {
        return x + width <= frameWidth && y + height <= frameHeight;
    }
}
