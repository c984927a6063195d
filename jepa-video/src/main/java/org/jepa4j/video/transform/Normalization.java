package org.jepa4j.video.transform;

/**
 * Per-channel normalization {@code (pixel / 255 - mean) / std} of RGB values.
 *
 * @param mean mean per channel (R, G, B) in [0, 1] units
 * @param std standard deviation per channel, > 0
 */
public record Normalization(float[] mean, float[] std) {

    /** ImageNet statistics, as in the references: mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225). */
    public static final Normalization IMAGENET =
            new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    /** Checks for three channels and positive standard deviations. */
    public Normalization {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("normalization needs 3 means and 3 stds, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be > 0, got " + s);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /**
     * Multiplier applied to a byte value of channel {@code c}: 1 / (255 std).
     *
     * @param c channel 0, 1 or 2
     * @return {@code 1 / (255 std[c])}
     */
    public float scale(int c) {
        return 1f / (255f * std[c]);
    }

    /**
     * Offset added after scaling, channel {@code c}: -mean / std.
     *
     * @param c channel 0, 1 or 2
     * @return {@code -mean[c] / std[c]}
     */
    public float offset(int c) {
        return -mean[c] / std[c];
    }

    /**
     * The normalized value of byte value {@code v} (0..255) in channel {@code c}.
     *
     * @param c channel 0, 1 or 2
     * @param v byte value 0..255
     * @return the normalized value
     */
    public float apply(int c, int v) {
        return v * scale(c) + offset(c);
    }
}
