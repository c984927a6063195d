package org.jepa4j.examples.bench;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.jepa4j.video.decode.ClipDecoder;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.decode.FrameSampler;
import org.jepa4j.video.decode.RgbFrames;
import org.jepa4j.video.loader.Batch;
import org.jepa4j.video.loader.ClipLoader;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.transform.ClipTransform;
import org.jepa4j.video.transform.ClipView;

/**
 * Decode + transform throughput for V-JEPA clips (16 frames, frame step 4, i.e. a 64-frame window,
 * 224 px crops) from a 720p H.264 (or MPEG-4) source generated on the spot, against the {@code ffmpeg}
 * tool decoding the same windows to raw RGB at the same working size.
 *
 * <p>Both sides are single-threaded ({@code -threads 1 -filter_threads 1} for the tool, one decoder
 * thread for jepa4j). The headline ratio compares jepa4j's decode + crop + resize + normalize time
 * (file opening excluded) with the tool's own {@code -benchmark} real time (which also excludes opening);
 * the wall-clock ratio (both including opening, the tool also its process start) is printed too. Then
 * the full {@link ClipLoader} (NDArrays included) is timed with 1 and 2 workers.
 *
 * <p>Run: {@code java -cp <test class path> org.jepa4j.examples.bench.DecodeBenchmark [clips]} (see the
 * module's README section in the report); needs DJL's CPU natives on the class path for the loader part.
 */
public final class DecodeBenchmark {

    /** Frames per clip. */
    public static final int FRAMES = 16;
    /** Frame step. */
    public static final int STEP = 4;
    /** Crop size. */
    public static final int CROP = 224;

    /**
     * Results of one run.
     *
     * @param clips clips timed per measurement
     * @param codec codec of the generated source
     * @param decodeWidth working width the frames are decoded at
     * @param decodeHeight working height
     * @param oursMsPerClip jepa4j decode + transform per clip, file opening excluded (ms)
     * @param oursWallMsPerClip jepa4j per clip including opening the file (ms)
     * @param ffmpegMsPerClip ffmpeg tool's own real time per clip (-benchmark rtime, ms), NaN if absent
     * @param ffmpegWallMsPerClip ffmpeg process wall time per clip (ms), NaN if absent
     * @param ratio oursMsPerClip / ffmpegMsPerClip (lower is better; NaN if ffmpeg is absent)
     * @param wallRatio oursWallMsPerClip / ffmpegWallMsPerClip
     * @param loader1ClipsPerSec ClipLoader throughput with 1 worker (clips/s, NDArrays included)
     * @param loader2ClipsPerSec ClipLoader throughput with 2 workers
     */
    public record Figures(int clips, String codec, int decodeWidth, int decodeHeight, double oursMsPerClip,
            double oursWallMsPerClip, double ffmpegMsPerClip, double ffmpegWallMsPerClip, double ratio,
            double wallRatio, double loader1ClipsPerSec, double loader2ClipsPerSec) {
    }

    private DecodeBenchmark() {
    }

    /**
     * Runs the benchmark and prints the figures.
     *
     * @param args optional: number of clips per measurement (default 24)
     */
    public static void main(String[] args) throws Exception {
        int clips = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        Figures f = run(clips);
        System.out.println(f);
    }

    /**
     * Generates the source, runs all measurements, prints a report and returns the figures.
     *
     * @param clips clips per measurement
     * @return the figures
     */
    public static Figures run(int clips) throws Exception {
        Path dir = Files.createTempDirectory("jepa4j-decode-bench");
        try {
            return run(dir, clips);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Figures run(Path dir, int clips) throws Exception {
        Path video = dir.resolve("source-720p.mp4");
        String codec = writeSource(video, 1280, 720, 300, 30);
        ClipTransform transform = ClipTransform.train(CROP);
        int[] size = transform.decodeSize(1280, 720);
        System.out.printf(Locale.ROOT, "source: 1280x720, 300 frames @ 30 fps, %s; clips: %d frames, step %d, "
                + "crop %d, decoded at %dx%d%n", codec, FRAMES, STEP, CROP, size[0], size[1]);

        double oursMs;
        double oursWallMs;
        double ffMs;
        double ffWallMs;
        Random rng = new Random(17);
        List<int[]> windows = new ArrayList<>();
        for (int i = 0; i < clips; i++) {
            windows.add(FrameSampler.sample(300, 30, ClipSampling.ofStep(FRAMES, STEP), rng)[0]);
        }

        // jepa4j (one decoder, one thread, random crop + flip + normalize into a float buffer) and the tool,
        // interleaved clip by clip so that load from other processes affects both alike
        boolean haveFfmpeg = ffmpegAvailable();
        if (!haveFfmpeg) {
            System.out.println("ffmpeg tool not found on PATH: ratio against ffmpeg skipped"
                    + " (install it, e.g. apt-get install ffmpeg)");
        }
        float[] out = new float[transform.outputLength(FRAMES)];
        Random cropRng = new Random(3);
        try (ClipDecoder decoder = new ClipDecoder(1, ClipDecoder.DEFAULT_SEEK_THRESHOLD, SWS_BILINEAR)) {
            for (int i = 0; i < Math.min(3, clips); i++) { // warm-up (JIT, page cache)
                timeOurs(decoder, video, windows.get(i), transform, size, out, cropRng);
                if (haveFfmpeg) {
                    runFfmpeg(video, windows.get(i), size);
                }
            }
            long oursWork = 0;
            long oursTotal = 0;
            long ffRtime = 0;
            long ffWall = 0;
            for (int[] ids : windows) {
                long[] o = timeOurs(decoder, video, ids, transform, size, out, cropRng);
                oursWork += o[0];
                oursTotal += o[1];
                if (haveFfmpeg) {
                    long[] r = runFfmpeg(video, ids, size);
                    ffRtime += r[0];
                    ffWall += r[1];
                }
            }
            oursMs = oursWork / 1e6 / clips;
            oursWallMs = oursTotal / 1e6 / clips;
            ffMs = haveFfmpeg ? ffRtime / 1e6 / clips : Double.NaN;
            ffWallMs = haveFfmpeg ? ffWall / 1e6 / clips : Double.NaN;
        }
        System.out.printf(Locale.ROOT, "jepa4j  (1 thread): %.1f ms/clip decode+transform, %.1f ms/clip with open"
                + " (%.1f clips/s)%n", oursMs, oursWallMs, 1000 / oursWallMs);
        if (haveFfmpeg) {
            System.out.printf(Locale.ROOT, "ffmpeg  (1 thread): %.1f ms/clip (its -benchmark rtime), %.1f ms/clip"
                    + " process wall time%n", ffMs, ffWallMs);
            System.out.printf(Locale.ROOT, "ratio jepa4j / ffmpeg: %.2f (decode+transform vs rtime; goal <= 1.0),"
                    + " wall-clock ratio %.2f%n", oursMs / ffMs, oursWallMs / ffWallMs);
        }

        double l1 = loaderThroughput(video, clips, 1, transform);
        double l2 = loaderThroughput(video, clips, 2, transform);
        System.out.printf(Locale.ROOT, "ClipLoader (batch 4, NDArrays included): 1 worker %.1f clips/s,"
                + " 2 workers %.1f clips/s (x%.2f) on %d cores%n", l1, l2, l2 / l1,
                Runtime.getRuntime().availableProcessors());
        return new Figures(clips, codec, size[0], size[1], oursMs, oursWallMs, ffMs, ffWallMs, oursMs / ffMs,
                oursWallMs / ffWallMs, l1, l2);
    }

    /** Decodes and transforms one clip; returns {decode+transform nanos, total nanos including open}. */
    private static long[] timeOurs(ClipDecoder decoder, Path video, int[] ids, ClipTransform transform, int[] size,
            float[] out, Random rng) throws Exception {
        long t0 = System.nanoTime();
        decoder.open(video);
        long t1 = System.nanoTime();
        RgbFrames frames = decoder.read(ids, size[0], size[1]); // [16, 256, 455, 3] bytes
        ClipView view = transform.sampleViews(size[0], size[1], rng).get(0);
        transform.apply(frames, view, out, 0); // [3, 16, 224, 224] floats
        decoder.close();
        long t2 = System.nanoTime();
        return new long[] {t2 - t1, t2 - t0};
    }

    private static boolean ffmpegAvailable() {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static final Pattern RTIME = Pattern.compile("rtime=([0-9.]+)s");

    /** Decodes the clip's 64-frame window with the tool; returns {rtime nanos, wall nanos}. */
    private static long[] runFfmpeg(Path video, int[] ids, int[] size) throws Exception {
        int start = ids[0];
        int frames = FRAMES * STEP;
        List<String> cmd = List.of("ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-v", "info", "-benchmark",
                "-threads", "1", "-ss", String.format(Locale.ROOT, "%.6f", start / 30.0), "-i", video.toString(),
                "-frames:v", Integer.toString(frames), "-filter_threads", "1",
                "-vf", "scale=" + size[0] + ":" + size[1] + ":flags=bilinear", "-pix_fmt", "rgb24",
                "-f", "rawvideo", "-");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).start();
        long bytes = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = p.getInputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                bytes += n;
            }
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        long wall = System.nanoTime() - t0;
        long expected = (long) frames * size[0] * size[1] * 3;
        if (rc != 0 || bytes != expected) {
            throw new IllegalStateException("ffmpeg failed (exit " + rc + ", " + bytes + " of " + expected
                    + " bytes): " + err);
        }
        Matcher m = RTIME.matcher(err);
        long rtime = m.find() ? (long) (Double.parseDouble(m.group(1)) * 1e9) : wall;
        return new long[] {rtime, wall};
    }

    private static double loaderThroughput(Path video, int clips, int workers, ClipTransform transform) {
        List<Path> files = Collections.nCopies(clips, video);
        try (ClipLoader loader = ClipLoader.builder().setSource(VideoSource.of(files)).setBatchSize(4)
                .optSampling(ClipSampling.ofStep(FRAMES, STEP)).optTransform(transform)
                .optWorkers(workers).optSeed(1).build()) {
            try (Batch warm = loader.iterator().next()) {
                warm.video();
            }
            long t0 = System.nanoTime();
            int n = 0;
            for (Batch b : loader.epoch(1)) {
                try (b) {
                    n += b.size();
                }
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** Writes a moving test pattern with texture; returns the codec used. */
    private static String writeSource(Path file, int w, int h, int frames, double fps) throws Exception {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        try {
            record(file, w, h, frames, fps, true);
            return "H.264 (libopenh264)";
        } catch (Exception e) {
            record(file, w, h, frames, fps, false);
            return "MPEG-4 part 2";
        }
    }

    private static void record(Path file, int w, int h, int frames, double fps, boolean h264) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), w, h)) {
            rec.setFormat("mp4");
            if (h264) {
                rec.setVideoCodecName("libopenh264");
            } else {
                rec.setVideoCodec(AV_CODEC_ID_MPEG4);
            }
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(fps);
            rec.setVideoBitrate(4_000_000);
            rec.setGopSize(60);
            rec.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            byte[] row = new byte[w * 3];
            Random noise = new Random(5);
            for (int i = 0; i < frames; i++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int v = ((x + 4 * i) / 16 + (y + 2 * i) / 16) % 2 == 0 ? 60 : 190; // moving checkerboard
                        int n = noise.nextInt(24);
                        row[3 * x] = (byte) (v + n);
                        row[3 * x + 1] = (byte) ((x * 255 / w + i) & 0xFF);
                        row[3 * x + 2] = (byte) ((y * 255 / h + n) & 0xFF);
                    }
                    buf.put(y * stride, row);
                }
                rec.record(frame, AV_PIX_FMT_RGB24);
            }
            rec.stop();
        }
    }
}
