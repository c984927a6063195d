package org.jepa4j.train.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.ExtractionReport;
import org.jepa4j.train.features.FeatureExtractor;
import org.jepa4j.train.features.FeatureSet;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.loader.ClipReading;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.transform.ClipTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole evaluation path on real frozen features: MP4 videos decoded by FFmpeg -> frozen encoder -> features
 * on disk -> probes. The encoder is randomly initialized, so the classes must survive random patch filters and
 * mean pooling: drifting stripes of random orientation, period, phase and speed in a warm palette ({@code warm/},
 * red high, blue low) or a cool one ({@code cool/}). (A random encoder does not separate the direction of motion
 * of {@code SyntheticVideos}, nor stripe orientation after mean pooling: both measured at chance.)
 */
class ProbeOnVideoFeaturesTest {

    @TempDir
    Path dir;

    @Test
    void probesOnExtractedVideoFeatures() throws Exception {
        writeStripes(dir.resolve("videos"), 40, 16, 32, new Random(5));
        VitConfig config = VitConfig.builder().setWidth(64).setDepth(2).setNumHeads(2).optPatchSize(16)
                .optFrames(8).optTubeletSize(2).optImageSize(32).build();
        Path weights = dir.resolve("encoder.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            SafeTensors.write(weights, new VisionTransformer(config, m, 3L).parameters(), null);
        }
        ExtractionReport report;
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.safeTensors(weights, config))) {
            report = FeatureExtractor.builder().setEncoder(enc)
                    .optReading(ClipReading.of(ClipSampling.ofStep(8, 2), ClipTransform.eval(32)).withBatchSize(8))
                    .build()
                    .extract(VideoSource.fromFolder(dir.resolve("videos")), dir.resolve("features"));
        }
        assertEquals(40, report.clipsWritten());
        FeatureSet data = FeatureSet.load(dir.resolve("features"), true);
        assertEquals(List.of("cool", "warm"), data.labelNames());
        for (ProbeKind kind : ProbeKind.values()) {
            ProbeConfig cfg = ProbeConfig.builder(kind).optEpochs(10).optBatchSize(8).optSelfAttentionBlocks(0)
                    .optHeldOutFraction(0.25).optSeed(1).build();
            ProbeResult res = ProbeTrainer.train(data, cfg);
            assertEquals(10, res.heldOutSamples());
            assertTrue(res.heldOutTop1() >= 0.9, kind + ": " + res);
        }
        // the same features with labels cut loose from the videos: no better than chance on held-out videos
        int[] shuffled = data.labels();
        for (int i = 0; i < shuffled.length; i++) {
            shuffled[i] = (i * 7 / 3) % 2;
        }
        ProbeResult control = ProbeTrainer.train(data.withLabels(shuffled, data.labelNames()),
                ProbeConfig.builder(ProbeKind.LINEAR).optEpochs(30).optBatchSize(8).optHeldOutFraction(0.25)
                        .optSeed(1).build());
        assertTrue(control.heldOutTop1() <= 0.8, control.toString());
    }

    /** Writes {@code n} videos of drifting stripes alternating between warm/ and cool/ palettes. */
    static void writeStripes(Path root, int n, int frames, int size, Random rng) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        for (int i = 0; i < n; i++) {
            boolean warm = i % 2 == 0;
            boolean horizontal = rng.nextBoolean();
            Path file = root.resolve(warm ? "warm" : "cool").resolve(String.format("v%03d.mp4", i));
            Files.createDirectories(file.getParent());
            double period = 6 + rng.nextInt(7);
            double phase = rng.nextDouble() * period;
            double speed = rng.nextDouble() * 2 - 1;
            int[] a = palette(warm, rng);
            int[] b = palette(warm, rng);
            try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), size, size, 0);
                    Frame frame = new Frame(size, size, Frame.DEPTH_UBYTE, 3)) {
                rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                rec.setFormat("mp4");
                rec.setFrameRate(8);
                rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                rec.setVideoQuality(2);
                rec.start();
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int t = 0; t < frames; t++) {
                    buf.clear();
                    for (int y = 0; y < size; y++) {
                        for (int x = 0; x < size; x++) {
                            double u = (horizontal ? y : x) + phase + speed * t;
                            int[] c = Math.floorMod((long) Math.floor(2 * u / period), 2) == 0 ? a : b;
                            int o = y * frame.imageStride + 3 * x;
                            buf.put(o, (byte) c[0]).put(o + 1, (byte) c[1]).put(o + 2, (byte) c[2]);
                        }
                    }
                    rec.record(frame, avutil.AV_PIX_FMT_RGB24);
                }
                rec.stop();
            }
        }
    }

    /** A warm (red 150-255, blue 0-100) or cool (the reverse) color with a random green. */
    static int[] palette(boolean warm, Random rng) {
        int high = 150 + rng.nextInt(106);
        int low = rng.nextInt(101);
        return warm ? new int[] {high, rng.nextInt(256), low} : new int[] {low, rng.nextInt(256), high};
    }
}
