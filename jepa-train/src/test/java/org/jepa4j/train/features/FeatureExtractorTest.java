package org.jepa4j.train.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.io.Npy;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.loader.Batch;
import org.jepa4j.video.loader.ClipLoader;
import org.jepa4j.video.loader.ClipReading;
import org.jepa4j.video.source.VideoSample;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.SyntheticVideos;
import org.jepa4j.video.transform.ClipTransform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction over tiny synthetic videos with one unreadable file in the middle of a batch. */
class FeatureExtractorTest {

    static final VitConfig CONFIG = VitConfig.builder().setWidth(32).setDepth(1).setNumHeads(2).optPatchSize(16)
            .optFrames(4).optTubeletSize(2).optImageSize(32).build();
    static final ClipSampling SAMPLING = ClipSampling.ofStep(4, 2).withClipsPerVideo(2);
    static final ClipTransform TRANSFORM = ClipTransform.eval(32, 2);

    @TempDir
    static Path dir;
    static Path weights;
    static List<VideoSample> samples;
    static Path bad;

    @BeforeAll
    static void setUp() throws Exception {
        List<Path> videos = SyntheticVideos.write(dir.resolve("videos"), new SyntheticVideos.Spec(5, 16, 32, 8, 1, 7));
        byte[] fake = new byte[4096];
        new Random(1).nextBytes(fake);
        System.arraycopy(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 0, fake, 0, 12);
        bad = Files.write(dir.resolve("videos/right/broken.mp4"), fake);
        samples = new ArrayList<>();
        for (Path v : videos) {
            samples.add(new VideoSample(v.toAbsolutePath(), v.getParent().getFileName().toString().equals("left") ? 0 : 1));
        }
        samples.add(2, new VideoSample(bad.toAbsolutePath(), 1)); // slot 2 of the first batch of 4
        try (NDManager m = NDManager.newBaseManager()) {
            weights = dir.resolve("encoder.safetensors");
            SafeTensors.write(weights, new VisionTransformer(CONFIG, m, 11L).parameters(), null);
        }
    }

    @Test
    void resumesAnInterruptedExtractionAndRefusesOtherSettings() throws Exception {
        Path out = dir.resolve("resumed");
        VideoSource source = VideoSource.ofSamples(samples);
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.safeTensors(weights, CONFIG))) {
            FeatureExtractor fx = FeatureExtractor.builder().setEncoder(enc)
                    .optReading(ClipReading.of(SAMPLING, TRANSFORM).withBatchSize(4).withWorkers(2)).optResume(true)
                    .build();
            ExtractionReport first = fx.extract(source, out);
            assertEquals(5, first.samplesWritten());
            assertEquals(0, first.samplesReused());
            String index = Files.readString(first.index());
            Path features = out.resolve(FeatureExtractor.FEATURES_DIR);
            byte[] sample3 = Files.readAllBytes(features.resolve("000003_s1_v1.safetensors"));
            Path kept = features.resolve("000001_s0_v0.safetensors");
            Files.setLastModifiedTime(kept, java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
            // an interruption: sample 3 not written at all, sample 0 half written, no index yet
            for (String f : List.of("000003_s0_v0", "000003_s0_v1", "000003_s1_v0", "000003_s1_v1", "000000_s1_v0")) {
                Files.delete(features.resolve(f + ".safetensors"));
            }
            Files.delete(first.index());

            ExtractionReport second = fx.extract(source, out);
            assertEquals(2, second.samplesWritten(), "samples 0 and 3 are encoded again");
            assertEquals(3, second.samplesReused());
            assertEquals(2 * 4, second.clipsWritten());
            assertEquals(1, second.badFiles().size(), "the unreadable file is tried again and reported");
            assertEquals(index, Files.readString(second.index()), "the index lists every clip, as the first run's");
            assertArrayEquals(sample3, Files.readAllBytes(features.resolve("000003_s1_v1.safetensors")));
            assertEquals(1_000_000L, Files.getLastModifiedTime(kept).toMillis(), "complete samples are not rewritten");

            FeatureExtractor otherViews = FeatureExtractor.builder().setEncoder(enc)
                    .optReading(ClipReading.of(SAMPLING, ClipTransform.eval(32, 1))).optResume(true).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> otherViews.extract(source, out));
            assertTrue(e.getMessage().contains("views: 2 -> 1") && e.getMessage().contains(out.toString()),
                    e.getMessage());
            IllegalStateException fewer = assertThrows(IllegalStateException.class,
                    () -> fx.extract(VideoSource.ofSamples(samples.subList(0, 4)), out));
            assertTrue(fewer.getMessage().contains("samples: 6 -> 4"), fewer.getMessage());
        }
    }

    @Test
    void writesEveryClipOfEveryReadableSampleAndReportsTheBadOne() throws Exception {
        Path out = dir.resolve("out");
        List<long[]> progress = new ArrayList<>();
        ExtractionReport report;
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.safeTensors(weights, CONFIG))) {
            FeatureExtractor fx = FeatureExtractor.builder().setEncoder(enc)
                    .optReading(ClipReading.of(SAMPLING, TRANSFORM).withBatchSize(4).withWorkers(2))
                    .optFormats(EnumSet.of(FeatureFormat.SAFETENSORS, FeatureFormat.NPY))
                    .optProgress((done, total, nbad) -> progress.add(new long[] {done, total, nbad})).build();
            report = fx.extract(VideoSource.ofSamples(samples), out);
            assertEquals(2, progress.size(), "one call per batch");
            assertArrayEquals(new long[] {4, 6, 1}, progress.get(0));
            assertArrayEquals(new long[] {6, 6, 1}, progress.get(1));

            // memory: a second run adds no array to the encoder's manager
            int before = enc.manager().getManagedArrays().size();
            fx.extract(VideoSource.ofSamples(samples), dir.resolve("out2"));
            assertEquals(before, enc.manager().getManagedArrays().size(), "extraction leaks arrays");

            // rows land in the right files: sample 3 (after the bad slot) encoded on its own
            Map<String, float[]> direct = encodeAlone(enc, samples.get(3));
            for (Map.Entry<String, float[]> e : direct.entrySet()) {
                try (SafeTensorsReader r = SafeTensors.open(out.resolve("features/000003_" + e.getKey() + ".safetensors"))) {
                    assertClose(e.getValue(), r.readFloats("tokens"), 1e-4, "sample 3 " + e.getKey());
                }
            }
        }
        assertEquals(6, report.samples());
        assertEquals(5, report.samplesWritten());
        assertEquals(5 * 2 * 2, report.clipsWritten());
        assertEquals(1, report.badFiles().size());
        assertEquals(2, report.badFiles().get(0).sample());
        assertEquals(bad.toAbsolutePath(), report.badFiles().get(0).path());
        assertTrue(Files.readString(out.resolve(FeatureExtractor.BAD_FILES)).contains("broken.mp4"));

        List<FeatureRecord> index = FeatureIndex.read(report.index());
        assertEquals(20, index.size());
        Map<Integer, Integer> clipsPerSample = new HashMap<>();
        for (FeatureRecord r : index) {
            assertTrue(r.sample() != 2, "the bad sample has no features");
            assertEquals(samples.get(r.sample()).path(), r.path());
            assertEquals(samples.get(r.sample()).label(), r.label());
            assertTrue(r.segment() >= 0 && r.segment() < 2 && r.view() >= 0 && r.view() < 2);
            clipsPerSample.merge(r.sample(), 1, Integer::sum);
            try (SafeTensorsReader st = SafeTensors.open(out.resolve(r.safetensors()))) {
                float[] tokens = st.readFloats("tokens");
                assertArrayEquals(new long[] {CONFIG.numTokens(), 32}, st.info("tokens").shape());
                assertArrayEquals(tokens, Npy.read(out.resolve(r.tokensNpy())).floats());
                float[] pooled = st.readFloats("pooled");
                assertArrayEquals(pooled, Npy.read(out.resolve(r.pooledNpy())).floats());
                assertClose(mean(tokens, CONFIG.numTokens(), 32), pooled, 1e-5, "pooled = token mean");
                assertEquals(r.path().toString(), st.metadata().get("path"));
            }
        }
        assertEquals(Map.of(0, 4, 1, 4, 3, 4, 4, 4, 5, 4), clipsPerSample);

        FeatureSet set = FeatureSet.load(out, true);
        assertEquals(20, set.size());
        assertEquals(CONFIG.numTokens(), set.numTokens());
        assertEquals(2, set.numClasses());
        FeatureSet pooledOnly = FeatureSet.load(out, false);
        assertFalse(pooledOnly.hasTokens());
        assertArrayEquals(set.pooled(7), pooledOnly.pooled(7));
    }

    @Test
    void noReadableFileFailsAndWritesNoIndex() throws Exception {
        Path out = dir.resolve("all-bad");
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.safeTensors(weights, CONFIG))) {
            FeatureExtractor fx = FeatureExtractor.builder().setEncoder(enc)
                    .optReading(ClipReading.of(SAMPLING, TRANSFORM).withBatchSize(2)).build();
            // the source's own check passes thanks to a good copy, deleted before the extraction
            Path copy = Files.copy(samples.get(0).path(), dir.resolve("gone.mp4"));
            VideoSource src = VideoSource.ofSamples(List.of(samples.get(2), new VideoSample(copy, 0)));
            Files.delete(copy);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> fx.extract(src, out));
            assertTrue(e.getMessage().contains("broken.mp4"), e.getMessage());
        }
        assertFalse(Files.exists(out.resolve(FeatureIndex.FILE_NAME)));
    }

    @Test
    void npyPooledOnlyOutputLoadsBackWithoutTokens() throws Exception {
        Path out = dir.resolve("npy-only");
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.safeTensors(weights, CONFIG))) {
            FeatureExtractor.builder().setEncoder(enc)
                    .optReading(ClipReading.of(ClipSampling.ofStep(4, 2), ClipTransform.eval(32)).withBatchSize(3))
                    .optFormats(EnumSet.of(FeatureFormat.NPY)).optTokens(false)
                    .build().extract(VideoSource.ofSamples(samples.subList(3, 6)), out);
        }
        List<FeatureRecord> index = FeatureIndex.read(out.resolve(FeatureIndex.FILE_NAME));
        assertEquals(3, index.size());
        for (FeatureRecord r : index) {
            assertEquals("", r.safetensors());
            assertEquals("", r.tokensNpy());
            assertArrayEquals(new long[] {32}, Npy.read(out.resolve(r.pooledNpy())).shape());
        }
        assertEquals(List.of(0, 1, 2), index.stream().map(FeatureRecord::sample).toList());
        FeatureSet set = FeatureSet.load(out, false);
        assertEquals(3, set.size());
        assertThrows(java.io.IOException.class, () -> FeatureSet.load(out, true));
        assertFalse(Files.exists(out.resolve(FeatureExtractor.BAD_FILES)));
    }

    @Test
    void safeTensorsLoaderTakesAPrefixAndNamesMismatches() throws Exception {
        Path prefixed = dir.resolve("state.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            VisionTransformer original = new VisionTransformer(CONFIG, m, 5L);
            Map<String, NDArray> state = new LinkedHashMap<>();
            original.parameters().forEach((k, v) -> state.put("target_encoder." + k, v));
            state.put("predictor.something", m.ones(new Shape(3)));
            SafeTensors.write(prefixed, state, null);
            NDArray x = m.randomNormal(new Shape(1, 3, 4, 32, 32));
            try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.safeTensors(prefixed, CONFIG, "target_encoder."))) {
                assertArrayEquals(original.forward(x).toFloatArray(), enc.encode(x).toFloatArray(), 1e-6f);
                assertFalse(enc.model().parameters().values().iterator().next().hasGradient(), "encoder is frozen");
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FrozenEncoder.load(EncoderLoader.safeTensors(prefixed, CONFIG)));
            assertTrue(e.getMessage().contains("state.safetensors"), e.getMessage());
            VitConfig wider = CONFIG.toBuilder().setWidth(64).build();
            assertThrows(IllegalArgumentException.class,
                    () -> FrozenEncoder.load(EncoderLoader.safeTensors(weights, wider)));
        }
    }

    @Test
    void builderRejectsInputsTheEncoderCannotTake() throws Exception {
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.safeTensors(weights, CONFIG))) {
            assertThrows(IllegalArgumentException.class,
                    () -> FeatureExtractor.builder().setEncoder(enc)
                            .optReading(defaults(enc).withTransform(ClipTransform.eval(48))).build());
            assertThrows(IllegalArgumentException.class,
                    () -> FeatureExtractor.builder().setEncoder(enc)
                            .optReading(defaults(enc).withTransform(ClipTransform.train(32))).build());
            assertThrows(IllegalArgumentException.class,
                    () -> FeatureExtractor.builder().setEncoder(enc)
                            .optReading(defaults(enc).withSampling(ClipSampling.ofStep(3, 1))).build());
            assertThrows(IllegalArgumentException.class,
                    () -> FeatureExtractor.builder().setEncoder(enc)
                            .optReading(defaults(enc).withImageMode(true)).build());
            assertThrows(IllegalArgumentException.class,
                    () -> FeatureExtractor.builder().setEncoder(enc).optTokens(false).optPooled(false).build());
        }
    }

    /** Encodes one sample through a loader of its own: segment/view name to tokens. */
    private static Map<String, float[]> encodeAlone(FrozenEncoder enc, VideoSample sample) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (ClipLoader loader = ClipLoader.builder().setSource(VideoSource.ofSamples(List.of(sample)))
                .setBatchSize(1).optSampling(SAMPLING).optTransform(TRANSFORM).optShuffle(false).build();
                Batch batch = loader.epoch(0).next()) {
            NDArray tokens = enc.encode(batch.video()); // [4, N, D]
            for (int r = 0; r < 4; r++) {
                out.put("s" + (r / 2) + "_v" + (r % 2), tokens.get(r).toFloatArray());
            }
        }
        return out;
    }

    static float[] mean(float[] tokens, int n, int d) {
        float[] m = new float[d];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < d; k++) {
                m[k] += tokens[t * d + k] / n;
            }
        }
        return m;
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max < tol, what + ": max abs diff " + max);
    }

    /** The extractor's default loader settings for an encoder, to change one of them. */
    private static ClipReading defaults(FrozenEncoder enc) {
        return FeatureExtractor.defaultReading(enc);
    }
}
