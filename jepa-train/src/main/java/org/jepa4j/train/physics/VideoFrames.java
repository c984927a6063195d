package org.jepa4j.train.physics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import org.jepa4j.video.decode.ClipDecoder;
import org.jepa4j.video.decode.RgbFrames;
import org.jepa4j.video.decode.UnreadableVideoException;
import org.jepa4j.video.decode.VideoInfo;
import org.jepa4j.video.transform.Normalization;

/**
 * Every {@code frameStep}-th frame of a video, resized (no crop) to the model's square size, as packed RGB24 bytes.
 *
 * @param source the video file
 * @param frames number of frames kept (T)
 * @param size frame height and width in pixels
 * @param rgb pixels, layout {@code [T, size, size, 3]}
 */
public record VideoFrames(Path source, int frames, int size, byte[] rgb) {

    /** Checks the buffer size against the shape. */
    public VideoFrames {
        if ((long) frames * size * size * 3 != rgb.length) {
            throw new IllegalArgumentException(source + ": RGB buffer of " + rgb.length + " bytes does not match ["
                    + frames + ", " + size + ", " + size + ", 3]");
        }
    }

    /**
     * Decodes every {@code frameStep}-th frame of a video at {@code size x size} pixels.
     *
     * @param decoder an open-able decoder (reused across videos)
     * @param file the video
     * @param size output height and width
     * @param frameStep keep one frame in {@code frameStep} (1: all)
     * @return the frames
     * @throws UnreadableVideoException if the file cannot be decoded
     */
    public static VideoFrames read(ClipDecoder decoder, Path file, int size, int frameStep)
            throws UnreadableVideoException {
        if (frameStep < 1) {
            throw new IllegalArgumentException("frameStep must be >= 1, got " + frameStep);
        }
        VideoInfo info = decoder.open(file);
        int total = Math.max(1, info.frameCount());
        int[] ids = new int[(total + frameStep - 1) / frameStep];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i * frameStep;
        }
        RgbFrames decoded = decoder.read(ids, size, size);
        int kept = decoded.frames() - decoded.padded(); // frames past the real end are copies: dropped
        byte[] data = kept == decoded.frames() ? decoded.data()
                : Arrays.copyOf(decoded.data(), kept * decoded.frameBytes());
        return new VideoFrames(file, kept, size, data);
    }

    /**
     * Normalized float pixels of the whole video.
     *
     * @param manager owner of the result
     * @param norm per-channel normalization
     * @return float32 {@code [3, T, size, size]}
     */
    public NDArray toTensor(NDManager manager, Normalization norm) {
        int plane = frames * size * size;
        float[] out = new float[3 * plane];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                out[c * plane + p] = norm.apply(c, rgb[3 * p + c] & 0xff);
            }
        }
        return manager.create(out, new Shape(3, frames, size, size)); // [3, T, S, S]
    }

    /**
     * The first frame at which two videos differ by more than {@code tolerance} in any pixel value.
     *
     * @param other the other video (same size)
     * @param tolerance largest byte difference still counted as equal (0 for pixel-identical; a few units absorb
     *     lossy-codec noise)
     * @return the index of the first differing frame, {@code min(T, T')} when the common frames are equal
     */
    public int firstDifference(VideoFrames other, int tolerance) {
        if (other.size != size) {
            throw new IllegalArgumentException("videos decoded at different sizes: " + size + " and " + other.size);
        }
        int common = Math.min(frames, other.frames);
        int frameBytes = size * size * 3;
        for (int t = 0; t < common; t++) {
            for (int i = t * frameBytes, end = i + frameBytes; i < end; i++) {
                if (Math.abs((rgb[i] & 0xff) - (other.rgb[i] & 0xff)) > tolerance) {
                    return t;
                }
            }
        }
        return common;
    }
}
