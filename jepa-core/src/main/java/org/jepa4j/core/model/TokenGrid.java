package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The token grid of an input: {@code depth} time steps (frames / tubelet size; 1 for images) of
 * {@code height x width} patches.
 *
 * <p>Token ids are time-major, {@code id = t * height * width + h * width + w}, the order in which the
 * tubelet/patch embedding flattens its output; encoders, predictors and mask generators all use this grid.
 *
 * @param depth time steps (tubelets along time), at least 1
 * @param height patch rows, at least 1
 * @param width patch columns, at least 1
 */
public record TokenGrid(int depth, int height, int width) {

    /** Checks that every dimension is positive and the grid fits an int. */
    public TokenGrid {
        if (depth <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Token grid sizes must be > 0, got " + depth + "x" + height + "x" + width);
        }
        if ((long) depth * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("token grid too large: " + depth + "x" + height + "x" + width);
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

    /**
     * Tokens in one time step ({@code height * width}).
     *
     * @return tokens in one time step ({@code height * width})
     */
    public int tokensPerFrame() {
        return height * width;
    }

    /**
     * Returns the number of tokens {@code depth * height * width}.
     *
     * @return the number of tokens {@code depth * height * width}
     */
    public int numTokens() {
        return depth * height * width;
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

    /**
     * Checks token ids given to a module on this grid: int64 {@code [batch, K]} with {@code K > 0}.
     *
     * @param ids the ids, or null (all tokens; nothing to check)
     * @param batch the batch size B the ids must match
     * @param what the argument's name, for the message
     * @throws IllegalArgumentException naming the argument, its shape or type
     */
    public void checkIds(NDArray ids, long batch, String what) {
        if (ids == null) {
            return;
        }
        Shape s = ids.getShape();
        if (s.dimension() != 2 || s.get(0) != batch) {
            throw new IllegalArgumentException(what + " must be [B=" + batch + ", K], got shape " + s);
        }
        if (ids.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException(what + " must be int64, got " + ids.getDataType());
        }
        if (s.get(1) == 0) {
            throw new IllegalArgumentException(what + " must not be empty, got shape " + s);
        }
    }

    @Override
    public String toString() {
        return depth + "x" + height + "x" + width;
    }
}
