package org.jepa4j.video.testutil;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FFV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P10LE;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes small test media with FFmpegFrameRecorder (MPEG-4 part 2 or FFV1), including the bad kinds the
 * loader must survive.
 */
public final class TestVideos {

    static {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    private TestVideos() {
    }

    /** Gray level that encodes frame index {@code i} (0..29) in {@link #indexed}. */
    public static int indexLevel(int i) {
        return 8 * i + 4;
    }

    /** Recovers a frame index from a decoded gray level. */
    public static int indexOf(int level) {
        return Math.round((level - 4) / 8f);
    }

    /** An MPEG-4 video whose frame i is uniformly gray at {@link #indexLevel(int)}. */
    public static Path indexed(Path file, int width, int height, int frames, double fps) {
        if (frames > 30) {
            throw new IllegalArgumentException("at most 30 indexed frames");
        }
        return uniform(file, width, height, frames, fps, i -> {
            int v = indexLevel(i);
            return new int[] {v, v, v};
        });
    }

    /** An MPEG-4 video of one constant color. */
    public static Path constant(Path file, int width, int height, int frames, double fps, int r, int g, int b) {
        return uniform(file, width, height, frames, fps, i -> new int[] {r, g, b});
    }

    /** An MPEG-4 video whose frame i has the uniform RGB color {@code color.apply(i)}. */
    public static Path uniform(Path file, int width, int height, int frames, double fps, IntFunction<int[]> color) {
        return record(file, width, height, frames, fps, AV_CODEC_ID_MPEG4, AV_PIX_FMT_YUV420P, "mp4", 0, null,
                (i, x, y) -> color.apply(i));
    }

    /** An MPEG-4 video, left half color {@code left}, right half {@code right}, with rotation metadata. */
    public static Path halves(Path file, int width, int height, int frames, int[] left, int[] right, int rotation) {
        return record(file, width, height, frames, 25, AV_CODEC_ID_MPEG4, AV_PIX_FMT_YUV420P, "mp4", rotation, null,
                (i, x, y) -> x < width / 2 ? left : right);
    }

    /** A grayscale (GRAY8) FFV1 video in Matroska. */
    public static Path grayscale(Path file, int width, int height, int frames) {
        return record(file, width, height, frames, 25, AV_CODEC_ID_FFV1, AV_PIX_FMT_GRAY8, "matroska", 0, null,
                (i, x, y) -> new int[] {120, 120, 120});
    }

    /** A 10-bit (yuv420p10le) FFV1 video in Matroska. */
    public static Path tenBit(Path file, int width, int height, int frames) {
        return record(file, width, height, frames, 25, AV_CODEC_ID_FFV1, AV_PIX_FMT_YUV420P10LE, "matroska", 0, null,
                (i, x, y) -> new int[] {90, 160, 60});
    }

    /** A variable-frame-rate MPEG-4 video: frame gaps alternate between 1 and 3 ticks of 1/30 s. */
    public static Path variableFrameRate(Path file, int width, int height, int frames) {
        long[] ts = new long[frames];
        long t = 0;
        for (int i = 0; i < frames; i++) {
            ts[i] = t;
            t += (i % 2 == 0 ? 1 : 3) * 1_000_000L / 30;
        }
        return record(file, width, height, frames, 30, AV_CODEC_ID_MPEG4, AV_PIX_FMT_YUV420P, "mp4", 0, ts,
                (i, x, y) -> new int[] {indexLevel(i % 30), indexLevel(i % 30), indexLevel(i % 30)});
    }

    /** An audio-only MP4 (AAC, one second of a tone). */
    public static Path audioOnly(Path file) {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), 1)) {
            rec.setFormat("mp4");
            rec.setAudioCodec(AV_CODEC_ID_AAC);
            rec.setSampleRate(16000);
            rec.setAudioChannels(1);
            rec.start();
            short[] pcm = new short[16000];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
            }
            rec.recordSamples(16000, 1, ShortBuffer.wrap(pcm));
            rec.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
        return file;
    }

    /** An empty file. */
    public static Path zeroBytes(Path file) {
        return write(file, new byte[0]);
    }

    /** A text file (whatever its extension). */
    public static Path text(Path file) {
        return write(file, "this is not a video\nat all\n".getBytes(StandardCharsets.UTF_8));
    }

    /** Random bytes behind a valid MP4 'ftyp' header: passes sniffing, fails in FFmpeg. */
    public static Path fakeMp4(Path file) {
        byte[] b = new byte[4096];
        new java.util.Random(1).nextBytes(b);
        byte[] head = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
        System.arraycopy(head, 0, b, 0, head.length);
        return write(file, b);
    }

    /** The first {@code fraction} of another file. */
    public static Path truncated(Path source, Path file, double fraction) {
        try {
            byte[] all = Files.readAllBytes(source);
            return write(file, java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG of one color. */
    public static Path png(Path file, int width, int height, int r, int g, int b) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int rgb = (r << 16) | (g << 8) | b;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Pixel color of frame i at (x, y). */
    @FunctionalInterface
    private interface Pattern {
        int[] rgb(int frame, int x, int y);
    }

    private static Path record(Path file, int width, int height, int frames, double fps, int codec, int pixFmt,
            String format, int rotation, long[] timestamps, Pattern pattern) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), width, height)) {
            rec.setFormat(format);
            rec.setVideoCodec(codec);
            rec.setPixelFormat(pixFmt);
            rec.setFrameRate(fps);
            rec.setGopSize(12);
            if (codec == AV_CODEC_ID_MPEG4) {
                rec.setVideoQuality(2);
            }
            if (rotation != 0) {
                rec.setDisplayRotation(rotation);
            }
            rec.start();
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            for (int i = 0; i < frames; i++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int[] c = pattern.rgb(i, x, y);
                        int o = y * stride + x * 3;
                        buf.put(o, (byte) c[0]).put(o + 1, (byte) c[1]).put(o + 2, (byte) c[2]);
                    }
                }
                if (timestamps != null) {
                    rec.setTimestamp(timestamps[i]);
                }
                rec.record(frame, AV_PIX_FMT_RGB24);
            }
            rec.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write test video " + file, e);
        }
        return file;
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
