package org.jepa4j.video.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jepa4j.video.decode.RgbFrames;

/**
 * Spatial transform of a clip into a normalized float tensor [C, T, H, W] (C = 3, H = W = crop size).
 *
 * <p><b>Training</b>: random resized crop (default scale [0.3, 1.0], aspect [0.75, 1.35]; one box for
 * every frame of the clip), horizontal flip with probability 0.5, ImageNet normalization.
 * <b>Evaluation</b>: resize the short side, then a center crop (or {@code views} crops spread along the
 * long side), normalization.
 *
 * <p><b>Decode size.</b> FFmpeg already resizes every frame while converting it to RGB, so the frame is
 * decoded at the working size {@link #decodeSize}: short side {@code decodeShortSide} (default
 * {@code round(crop * 256 / 224)}, e.g. 256 for a 224 crop; aspect kept). This is the size the
 * evaluation transform resizes to before its center crop, so evaluation crops are a plain copy (no
 * resampling), and for training a full-scale crop is only a mild 256 -> 224 downscale while a 0.3-scale
 * crop (about 140 px) is upsampled, as in the reference, from a frame about 1/3 of 720p and far cheaper to
 * produce. The crop box is then cut in the byte domain and resized in one pass with bilinear
 * interpolation (tables computed once per clip, shared by all frames), fused with flip and
 * normalization, writing floats straight into the batch buffer.
 */
public final class ClipTransform {

    private final int cropSize;
    private final int decodeShortSide;
    private final boolean training;
    private final RandomResizedCrop randomCrop;
    private final double flipProbability;
    private final Normalization normalization;
    private final int views;

    private ClipTransform(int cropSize, int decodeShortSide, boolean training, RandomResizedCrop randomCrop,
            double flipProbability, Normalization normalization, int views) {
        if (cropSize < 1) {
            throw new IllegalArgumentException("crop size must be >= 1, got " + cropSize);
        }
        if (decodeShortSide < cropSize) {
            throw new IllegalArgumentException("decode short side " + decodeShortSide
                    + " must be >= crop size " + cropSize);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
        }
        if (views < 1) {
            throw new IllegalArgumentException("views must be >= 1, got " + views);
        }
        this.cropSize = cropSize;
        this.decodeShortSide = decodeShortSide;
        this.training = training;
        this.randomCrop = randomCrop;
        this.flipProbability = flipProbability;
        this.normalization = normalization;
        this.views = views;
    }

    /**
     * Training transform: random resized crop (V-JEPA ranges), flip p = 0.5, ImageNet normalization.
     *
     * @param cropSize output height and width
     * @return the transform
     */
    public static ClipTransform train(int cropSize) {
        return new ClipTransform(cropSize, defaultDecodeShortSide(cropSize), true, RandomResizedCrop.VJEPA, 0.5,
                Normalization.IMAGENET, 1);
    }

    /**
     * Evaluation transform: resize short side to {@code round(crop * 256 / 224)}, one center crop.
     *
     * @param cropSize output height and width
     * @return the transform
     */
    public static ClipTransform eval(int cropSize) {
        return eval(cropSize, 1);
    }

    /**
     * Evaluation transform with several spatial views.
     *
     * @param cropSize output size
     * @param views number of crops spread evenly along the long side (1 = center crop, 3 = left/center/right)
     * @return the transform
     */
    public static ClipTransform eval(int cropSize, int views) {
        return new ClipTransform(cropSize, defaultDecodeShortSide(cropSize), false, null, 0, Normalization.IMAGENET,
                views);
    }

    /**
     * {@code round(crop * 256 / 224)}: the usual resize-before-center-crop ratio.
     *
     * @param cropSize output height and width
     * @return the short side to decode at
     */
    public static int defaultDecodeShortSide(int cropSize) {
        return (int) Math.round(cropSize * 256.0 / 224.0);
    }

    /**
     * The same transform decoding frames at another short side (must be >= crop size).
     *
     * @param shortSide the short side in pixels
     * @return a copy
     */
    public ClipTransform withDecodeShortSide(int shortSide) {
        return new ClipTransform(cropSize, shortSide, training, randomCrop, flipProbability, normalization, views);
    }

    /**
     * The same training transform with other random-crop ranges.
     *
     * @param crop the scale and aspect-ratio ranges
     * @return a copy
     */
    public ClipTransform withRandomCrop(RandomResizedCrop crop) {
        requireTraining("random crop");
        return new ClipTransform(cropSize, decodeShortSide, true, crop, flipProbability, normalization, views);
    }

    /**
     * The same training transform with another flip probability.
     *
     * @param p probability of a horizontal flip, in [0, 1]
     * @return a copy
     */
    public ClipTransform withFlipProbability(double p) {
        requireTraining("flip");
        return new ClipTransform(cropSize, decodeShortSide, true, randomCrop, p, normalization, views);
    }

    /**
     * The same transform with another normalization.
     *
     * @param n per-channel mean and std
     * @return a copy
     */
    public ClipTransform withNormalization(Normalization n) {
        return new ClipTransform(cropSize, decodeShortSide, training, randomCrop, flipProbability, n, views);
    }

    /**
     * The per-channel normalization applied after the crop.
     *
     * @return the normalization
     */
    public Normalization normalization() {
        return normalization;
    }

    /**
     * Output height and width.
     *
     * @return output height and width
     */
    public int cropSize() {
        return cropSize;
    }

    /**
     * Short side of the decoded frames.
     *
     * @return short side of the decoded frames
     */
    public int decodeShortSide() {
        return decodeShortSide;
    }

    /**
     * True for the random training transform.
     *
     * @return true for the random training transform
     */
    public boolean training() {
        return training;
    }

    /**
     * Views produced per clip: 1 in training, the number of spatial crops in evaluation.
     *
     * @return views produced per clip: 1 in training, the number of spatial crops in evaluation
     */
    public int viewsPerClip() {
        return views;
    }

    /**
     * Floats written per view: 3 * T * crop * crop.
     *
     * @param frames frames T of a clip
     * @return {@code 3 * T * crop * crop}
     */
    public int outputLength(int frames) {
        return 3 * frames * cropSize * cropSize;
    }

    /**
     * Size to decode a frame of the given size at: short side {@link #decodeShortSide()}, aspect kept.
     *
     * @param width frame width in pixels
     * @param height frame height in pixels
     * @return {width, height}
     */
    public int[] decodeSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        if (width <= height) {
            return new int[] {decodeShortSide, Math.max(decodeShortSide, (int) Math.round((double) height * decodeShortSide / width))};
        }
        return new int[] {Math.max(decodeShortSide, (int) Math.round((double) width * decodeShortSide / height)), decodeShortSide};
    }

    /**
     * Chooses the crop(s) and flip for a clip decoded at {@code width x height}.
     *
     * @param width decoded frame width
     * @param height decoded frame height
     * @param rng randomness (unused in evaluation)
     * @return {@link #viewsPerClip()} views
     */
    public List<ClipView> sampleViews(int width, int height, Random rng) {
        List<ClipView> out = new ArrayList<>(views);
        if (training) {
            CropBox box = randomCrop.sample(width, height, rng);
            boolean flip = rng.nextDouble() < flipProbability;
            out.add(new ClipView(box, flip));
            return out;
        }
        int s = Math.min(cropSize, Math.min(width, height));
        for (int v = 0; v < views; v++) {
            double frac = views == 1 ? 0.5 : (double) v / (views - 1);
            int x = width >= height ? (int) Math.round((width - s) * frac) : (width - s) / 2;
            int y = width >= height ? (height - s) / 2 : (int) Math.round((height - s) * frac);
            out.add(new ClipView(new CropBox(x, y, s, s), false));
        }
        return out;
    }

    /**
     * Crops, resizes, flips and normalizes every frame of a clip into {@code out}.
     *
     * @param frames decoded clip, [T, H, W, 3] bytes
     * @param view crop and flip
     * @param out destination; receives [3, T, crop, crop] floats starting at {@code offset}
     * @param offset first index written
     */
    public void apply(RgbFrames frames, ClipView view, float[] out, int offset) {
        apply(frames, 0, frames.frames(), view, out, offset);
    }

    /**
     * Like {@link #apply(RgbFrames, ClipView, float[], int)} for frames
     * {@code [firstFrame, firstFrame + numFrames)} of {@code frames} only (one clip of several decoded together).
     *
     * @param frames decoded frames, [T', H, W, 3] bytes
     * @param firstFrame first frame of the clip
     * @param numFrames T, frames in the clip
     * @param view crop and flip
     * @param out destination; receives [3, T, crop, crop] floats starting at {@code offset}
     * @param offset first index written
     */
    public void apply(RgbFrames frames, int firstFrame, int numFrames, ClipView view, float[] out, int offset) {
        if (firstFrame < 0 || numFrames < 1 || firstFrame + numFrames > frames.frames()) {
            throw new IllegalArgumentException("frames [" + firstFrame + ", " + (firstFrame + numFrames)
                    + ") outside a clip of " + frames.frames());
        }
        CropBox c = view.crop();
        if (!c.fitsIn(frames.width(), frames.height())) {
            throw new IllegalArgumentException("crop " + c + " outside frame " + frames.width() + "x" + frames.height());
        }
        int s = cropSize;
        int t = numFrames;
        int w = frames.width();
        int h = frames.height();
        // bilinear sampling tables, shared by all frames: columns hold byte offsets (x * 3)
        int[] xa = new int[s];
        int[] xb = new int[s];
        float[] xw = new float[s];
        axis(c.x(), c.width(), s, xa, xb, xw, 3);
        if (view.flip()) {
            reverse(xa);
            reverse(xb);
            reverse(xw);
        }
        int[] ya = new int[s];
        int[] yb = new int[s];
        float[] yw = new float[s];
        axis(c.y(), c.height(), s, ya, yb, yw, w * 3);

        byte[] d = frames.data();
        int plane = t * s * s; // floats per channel
        float sr = normalization.scale(0);
        float sg = normalization.scale(1);
        float sb = normalization.scale(2);
        float or = normalization.offset(0);
        float og = normalization.offset(1);
        float ob = normalization.offset(2);
        for (int ti = 0; ti < t; ti++) {
            int base = (firstFrame + ti) * h * w * 3;
            for (int oy = 0; oy < s; oy++) {
                int r0 = base + ya[oy];
                int r1 = base + yb[oy];
                float wy = yw[oy];
                int o = offset + ti * s * s + oy * s; // channel R, frame ti, row oy
                for (int ox = 0; ox < s; ox++) {
                    int a = xa[ox];
                    int b = xb[ox];
                    float wx = xw[ox];
                    out[o + ox] = lerp2(d, r0 + a, r0 + b, r1 + a, r1 + b, wx, wy) * sr + or;
                    out[o + plane + ox] = lerp2(d, r0 + a + 1, r0 + b + 1, r1 + a + 1, r1 + b + 1, wx, wy) * sg + og;
                    out[o + 2 * plane + ox] = lerp2(d, r0 + a + 2, r0 + b + 2, r1 + a + 2, r1 + b + 2, wx, wy) * sb + ob;
                }
            }
        }
    }

    private static float lerp2(byte[] d, int i00, int i01, int i10, int i11, float wx, float wy) {
        float p00 = d[i00] & 0xFF;
        float p01 = d[i01] & 0xFF;
        float p10 = d[i10] & 0xFF;
        float p11 = d[i11] & 0xFF;
        float top = p00 + (p01 - p00) * wx;
        float bottom = p10 + (p11 - p10) * wx;
        return top + (bottom - top) * wy;
    }

    /**
     * Bilinear source positions for {@code outLen} outputs over the source range [start, start + inLen)
     * (half-pixel centers, edges clamped), as offsets multiplied by {@code unit}.
     */
    static void axis(int start, int inLen, int outLen, int[] lo, int[] hi, float[] weight, int unit) {
        double scale = (double) inLen / outLen;
        for (int o = 0; o < outLen; o++) {
            double src = (o + 0.5) * scale - 0.5;
            src = Math.max(0, Math.min(src, inLen - 1));
            int i0 = (int) src;
            int i1 = Math.min(i0 + 1, inLen - 1);
            lo[o] = (start + i0) * unit;
            hi[o] = (start + i1) * unit;
            weight[o] = (float) (src - i0);
        }
    }

    private static void reverse(int[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    private static void reverse(float[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            float tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    private void requireTraining(String what) {
        if (!training) {
            throw new IllegalStateException(what + " applies to the training transform only");
        }
    }
}
