package org.jepa4j.video.loader;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.jepa4j.video.decode.ClipDecoder;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.decode.FrameSampler;
import org.jepa4j.video.decode.RgbFrames;
import org.jepa4j.video.decode.UnreadableVideoException;
import org.jepa4j.video.decode.VideoInfo;
import org.jepa4j.video.transform.ClipTransform;
import org.jepa4j.video.transform.ClipView;

/**
 * Turns one file into its normalized clips: owned by one worker thread (it holds that thread's decoder).
 * Writes {@code clipsPerVideo x viewsPerClip} blocks of [3, T, S, S] floats, clip-major.
 */
final class SampleReader implements AutoCloseable {

    private final ClipDecoder decoder;
    private final ClipSampling sampling;
    private final ClipTransform transform;

    SampleReader(ClipDecoder decoder, ClipSampling sampling, ClipTransform transform) {
        this.decoder = decoder;
        this.sampling = sampling;
        this.transform = transform;
    }

    /** Rows of the batch tensor one sample fills. */
    static int rowsPerSample(ClipSampling sampling, ClipTransform transform) {
        return sampling.clipsPerVideo() * transform.viewsPerClip();
    }

    /**
     * Decodes and transforms one sample.
     *
     * @param file the media file
     * @param rng the sample's randomness (window, crop, flip); unused for the window in evaluation
     * @param out batch buffer
     * @param offset first float of this sample
     * @throws UnreadableVideoException if the file cannot be used
     */
    void read(Path file, Random rng, float[] out, int offset) throws UnreadableVideoException {
        try {
            VideoInfo info = decoder.open(file);
            int[][] ids = FrameSampler.sample(info.frameCount(), info.fps(), sampling, transform.training() ? rng : null);
            int t = sampling.framesPerClip();
            int[] all = new int[ids.length * t]; // [K * T]
            for (int k = 0; k < ids.length; k++) {
                System.arraycopy(ids[k], 0, all, k * t, t);
            }
            int[] size = transform.decodeSize(info.width(), info.height());
            if ((long) size[0] * size[1] > 64L * transform.decodeShortSide() * transform.decodeShortSide()) {
                throw new UnreadableVideoException(file, "extreme aspect ratio " + info.width() + "x" + info.height());
            }
            RgbFrames frames = decoder.read(all, size[0], size[1]); // [K*T, h, w, 3] bytes
            int viewFloats = transform.outputLength(t);
            int o = offset;
            for (int k = 0; k < ids.length; k++) {
                List<ClipView> views = transform.sampleViews(size[0], size[1], rng);
                for (ClipView v : views) {
                    transform.apply(frames, k * t, t, v, out, o); // [3, T, S, S]
                    o += viewFloats;
                }
            }
        } catch (RuntimeException e) {
            throw new UnreadableVideoException(file, "failed while decoding (" + e + ")", e);
        } finally {
            decoder.close();
        }
    }

    @Override
    public void close() {
        decoder.close();
    }
}
