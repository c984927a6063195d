package org.jepa4j.video.mask;

/**
 * The token grid a mask is drawn on: {@code frames} time steps (frames / tubelet size) of
 * {@code height x width} patches.
 *
 * <p>Token ids are time-major: {@code id = t * height * width + h * width + w}, the order in which a
 * tubelet/patch embedding flattens its output. Images use {@code frames == 1}.
 *
 * @param frames time steps (video frames divided by the tubelet size), at least 1
 * @param height patch rows, at least 1
 * @param width patch columns, at least 1
 */
public record TokenGrid(int frames, int height, int width) {

    /** Checks that every dimension is positive and the grid fits an int. */
    public TokenGrid {
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "token grid dimensions must be >= 1, got frames=" + frames + " height=" + height + " width=" + width);
        }
        if ((long) frames * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("token grid too large: " + frames + "x" + height + "x" + width);
        }
    }

    /**
     * The grid of a square video crop, as the reference computes it ({@code num_frames // tubelet},
     * {@code crop // patch}).
     *
     * @param numFrames frames per clip
     * @param tubeletSize frames per tubelet
     * @param cropSize crop side in pixels
     * @param patchSize patch side in pixels
     * @return the grid
     */
    public static TokenGrid video(int numFrames, int tubeletSize, int cropSize, int patchSize) {
        return video(numFrames, tubeletSize, cropSize, cropSize, patchSize);
    }

    /**
     * The grid of a rectangular video crop.
     *
     * @param numFrames frames per clip
     * @param tubeletSize frames per tubelet
     * @param cropHeight crop height in pixels
     * @param cropWidth crop width in pixels
     * @param patchSize patch side in pixels
     * @return the grid
     */
    public static TokenGrid video(int numFrames, int tubeletSize, int cropHeight, int cropWidth, int patchSize) {
        if (tubeletSize < 1 || patchSize < 1) {
            throw new IllegalArgumentException(
                    "tubelet size and patch size must be >= 1, got tubelet=" + tubeletSize + " patch=" + patchSize);
        }
        if (numFrames < tubeletSize) {
            throw new IllegalArgumentException(
                    "numFrames (" + numFrames + ") must be at least the tubelet size (" + tubeletSize + ")");
        }
        if (cropHeight < patchSize || cropWidth < patchSize) {
            throw new IllegalArgumentException("crop " + cropHeight + "x" + cropWidth
                    + " is smaller than the patch size " + patchSize);
        }
        return new TokenGrid(numFrames / tubeletSize, cropHeight / patchSize, cropWidth / patchSize);
    }

    /**
     * The grid of a square image crop (one time step).
     *
     * @param cropSize crop side in pixels
     * @param patchSize patch side in pixels
     * @return the grid
     */
    public static TokenGrid image(int cropSize, int patchSize) {
        return video(1, 1, cropSize, cropSize, patchSize);
    }

    /** Tokens in one time step ({@code height * width}). */
    public int tokensPerFrame() {
        return height * width;
    }

    /** Tokens in the whole grid. */
    public int numTokens() {
        return frames * height * width;
    }

    /**
     * Flat id of a token.
     *
     * @param t time step
     * @param h row
     * @param w column
     * @return {@code t * height * width + h * width + w}
     */
    public int index(int t, int h, int w) {
        return (t * height + h) * width + w;
    }

    @Override
    public String toString() {
        return frames + "x" + height + "x" + width;
    }
}
