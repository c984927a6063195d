package org.jepa4j.video.transform;

import java.util.Random;

/**
 * Samples the crop box of a random resized crop (the torchvision algorithm the references use): area a
 * uniform fraction of the frame in [minScale, maxScale], aspect ratio log-uniform in [minRatio, maxRatio];
 * up to 10 attempts, then a center crop with the ratio clamped to the range.
 *
 * @param minScale smallest area fraction, in (0, 1]
 * @param maxScale largest area fraction, in [minScale, 1]
 * @param minRatio smallest width/height ratio, > 0
 * @param maxRatio largest width/height ratio, >= minRatio
 */
public record RandomResizedCrop(double minScale, double maxScale, double minRatio, double maxRatio) {

    /** The V-JEPA setting: scale [0.3, 1.0], aspect ratio [0.75, 1.35]. */
    public static final RandomResizedCrop VJEPA = new RandomResizedCrop(0.3, 1.0, 0.75, 1.35);

    /** Validates the ranges. */
    public RandomResizedCrop {
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1 && minRatio > 0 && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("invalid random resized crop: scale [" + minScale + ", " + maxScale
                    + "], ratio [" + minRatio + ", " + maxRatio + "]");
        }
    }

    /**
     * Samples a crop box for a frame.
     *
     * @param width frame width
     * @param height frame height
     * @param rng randomness
     * @return a box inside the frame
     */
    public CropBox sample(int width, int height, Random rng) {
        double area = (double) width * height;
        double logLo = Math.log(minRatio);
        double logHi = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minScale + rng.nextDouble() * (maxScale - minScale));
            double ratio = Math.exp(logLo + rng.nextDouble() * (logHi - logLo));
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                int x = rng.nextInt(width - w + 1);
                int y = rng.nextInt(height - h + 1);
                return new CropBox(x, y, w, h);
            }
        }
        double frameRatio = (double) width / height;
        int w;
        int h;
        if (frameRatio < minRatio) {
            w = width;
            h = (int) Math.round(w / minRatio);
        } else if (frameRatio > maxRatio) {
            h = height;
            w = (int) Math.round(h * maxRatio);
        } else {
            w = width;
            h = height;
        }
        w = Math.max(1, Math.min(w, width));
        h = Math.max(1, Math.min(h, height));
        return new CropBox((width - w) / 2, (height - h) / 2, w, h);
    }
}
