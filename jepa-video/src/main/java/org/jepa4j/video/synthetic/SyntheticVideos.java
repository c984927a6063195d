package org.jepa4j.video.synthetic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.jepa4j.video.decode.FFmpegLogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a folder of synthetic moving-shapes videos, one sub-folder per direction label ({@code left/},
 * {@code right/}), so that a folder source labels them from their sub-folder names.
 *
 * <p>Videos are MPEG-4 Part 2 in an MP4 container, which the FFmpeg build bundled with JavaCV both writes and reads.
 */
public final class SyntheticVideos {

    private static final Logger LOG = LoggerFactory.getLogger(SyntheticVideos.class);

    private SyntheticVideos() {}

    /**
     * Settings of a generated folder.
     *
     * @param numVideos total number of videos (labels alternate, so classes are balanced)
     * @param frames frames per video
     * @param size frame width and height in pixels (even, at least 16)
     * @param fps frame rate written into the files
     * @param numShapes shapes per episode
     * @param seed seed of the episodes
     */
    public record Spec(int numVideos, int frames, int size, int fps, int numShapes, long seed) {

        /** Validates the settings. */
        public Spec {
            if (numVideos < 1) {
                throw new IllegalArgumentException("numVideos must be >= 1, got " + numVideos);
            }
            if (frames < 1) {
                throw new IllegalArgumentException("frames must be >= 1, got " + frames);
            }
            if (size < 16 || size % 2 != 0) {
                throw new IllegalArgumentException("size must be even and >= 16, got " + size);
            }
            if (fps < 1) {
                throw new IllegalArgumentException("fps must be >= 1, got " + fps);
            }
        }

        /**
         * A small default: 32 videos of 32 frames at 64 px, 2 shapes each.
         *
         * @param seed seed of shapes and motions
         * @return the spec
         */
        public static Spec small(long seed) {
            return new Spec(32, 32, 64, 16, 2, seed);
        }
    }

    /**
     * Generates the videos of {@code spec} into {@code folder} (created if needed).
     *
     * @param folder destination folder
     * @param spec what to generate
     * @return the written files, in generation order
     * @throws IOException if a file cannot be written
     */
    public static List<Path> write(Path folder, Spec spec) throws IOException {
        for (String name : ShapesWorld.DIRECTION_NAMES) {
            Files.createDirectories(folder.resolve(name));
        }
        Random rng = new Random(spec.seed());
        List<Path> files = new ArrayList<>(spec.numVideos());
        for (int i = 0; i < spec.numVideos(); i++) {
            int label = i % ShapesWorld.NUM_DIRECTIONS;
            ShapesWorld world = new ShapesWorld(spec.size(), spec.numShapes(), label, new Random(rng.nextLong()));
            Path file = folder.resolve(ShapesWorld.DIRECTION_NAMES.get(label)).resolve(String.format("episode_%04d.mp4", i));
            writeEpisode(file, world, spec.frames(), spec.fps());
            files.add(file);
        }
        LOG.info("Wrote {} synthetic videos ({} frames, {} px) to {}", files.size(), spec.frames(), spec.size(), folder);
        return files;
    }

    /**
     * Writes packed RGB frames as one video (MPEG-4 Part 2, near-lossless quality).
     *
     * @param file destination (its extension picks the container)
     * @param frames the frames, each packed {@code [size, size, 3]}
     * @param size frame width and height (even)
     * @param fps frame rate
     * @throws IOException if encoding fails
     */
    public static void writeFrames(Path file, List<byte[]> frames, int size, int fps) throws IOException {
        writeVideo(file, size, fps, frames.size(), (t, rows, stride) -> copyRows(frames.get(t), size, rows, stride),
                "cannot write synthetic video ");
    }

    /**
     * Simulates {@code frames} steps of {@code world} and writes them as one video.
     *
     * @param file destination (its extension picks the container)
     * @param world the episode to render
     * @param frames number of frames
     * @param fps frame rate
     * @throws IOException if encoding fails
     */
    public static void writeEpisode(Path file, ShapesWorld world, int frames, int fps) throws IOException {
        writeVideo(file, world.size(), fps, frames, (t, rows, stride) -> {
            world.render(rows, stride);
            world.step();
        }, "cannot write synthetic video ");
    }

    /** Fills frame {@code t}'s RGB rows, {@code stride} bytes apart, into {@code rows}. */
    @FunctionalInterface
    interface FramePainter {

        /**
         * Paints one frame.
         *
         * @param t the frame's index
         * @param rows the frame's buffer, {@code [size, stride]} bytes
         * @param stride bytes per row (at least {@code size * 3})
         */
        void paint(int t, byte[] rows, int stride);
    }

    /**
     * Writes {@code frames} painted frames as one MP4 video (MPEG-4 Part 2, near-lossless quality).
     *
     * @param file destination
     * @param size frame width and height (even)
     * @param fps frame rate
     * @param frames number of frames
     * @param painter paints each frame
     * @param failure start of the error message, followed by the file
     * @throws IOException if encoding fails
     */
    static void writeVideo(Path file, int size, int fps, int frames, FramePainter painter, String failure)
            throws IOException {
        FFmpegLogLevel.applyOnce(); // FFmpeg's per-file banners are noise here
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), size, size, 0);
                Frame frame = new Frame(size, size, Frame.DEPTH_UBYTE, 3)) {
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            recorder.setFormat("mp4");
            recorder.setFrameRate(fps);
            recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            recorder.setVideoQuality(2); // qscale: near-lossless for flat synthetic colors
            recorder.start();
            int stride = frame.imageStride;
            byte[] rows = new byte[stride * size];
            ByteBuffer buffer = (ByteBuffer) frame.image[0];
            for (int t = 0; t < frames; t++) {
                painter.paint(t, rows, stride);
                buffer.clear();
                buffer.put(rows);
                buffer.rewind();
                recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            recorder.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException(failure + file + ": " + e.getMessage(), e);
        }
    }

    /** Copies a packed {@code [size, size, 3]} frame into rows {@code stride} bytes apart. */
    static void copyRows(byte[] rgb, int size, byte[] rows, int stride) {
        for (int y = 0; y < size; y++) {
            System.arraycopy(rgb, y * size * 3, rows, y * stride, size * 3);
        }
    }
}
