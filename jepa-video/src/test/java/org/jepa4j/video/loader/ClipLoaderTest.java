package org.jepa4j.video.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jepa4j.core.model.TokenGrid;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.mask.MaskGenerator;
import org.jepa4j.video.mask.MaskSet;
import org.jepa4j.video.source.VideoSample;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.testutil.TestVideos;
import org.jepa4j.video.transform.ClipTransform;
import org.jepa4j.video.transform.Normalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipLoaderTest {

    @TempDir
    static Path dir;
    static VideoSource good;

    @BeforeAll
    static void writeVideos() {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int c = 40 * i;
            files.add(TestVideos.uniform(dir.resolve("v" + i + ".mp4"), 48 + 8 * i, 40, 12 + 3 * i, 25,
                    f -> new int[] {c, 255 - c, (f * 20) % 256}));
        }
        good = VideoSource.of(files);
    }

    private static ClipLoader.Builder small(VideoSource src) {
        return ClipLoader.builder().setSource(src).setBatchSize(2)
                .optSampling(ClipSampling.ofStep(4, 2))
                .optTransform(ClipTransform.train(16));
    }

    private static List<float[]> epochData(ClipLoader loader, int epoch) {
        List<float[]> out = new ArrayList<>();
        for (Batch b : loader.epoch(epoch)) {
            try (b) {
                out.add(b.video().toFloatArray());
            }
        }
        return out;
    }

    @Test
    void shapesLabelsAndStatistics() {
        try (ClipLoader loader = small(good).build()) {
            assertEquals(3, loader.batchesPerEpoch());
            int batches = 0;
            Set<Path> seen = new HashSet<>();
            for (Batch b : loader) {
                try (b) {
                    assertEquals(new Shape(2, 3, 4, 16, 16), b.video().getShape());
                    assertEquals(DataType.FLOAT32, b.video().getDataType());
                    assertEquals(2, b.labels().length);
                    assertEquals(new Shape(2), b.labelArray().getShape());
                    seen.addAll(b.paths());
                    assertEquals(batches, b.index());
                    batches++;
                }
            }
            assertEquals(3, batches);
            assertEquals(6, seen.size(), "one epoch visits every sample once");
            LoaderStats s = loader.stats();
            assertEquals(6, s.samplesDecoded());
            assertEquals(0, s.badFileCount());
            assertEquals(3, s.batchesDelivered());
            assertTrue(s.waitNanos() > 0);
        }
    }

    @Test
    void sameSeedSameBatchesWhateverTheWorkers() {
        List<float[]> one;
        List<float[]> two;
        List<float[]> other;
        try (ClipLoader a = small(good).optSeed(7).optWorkers(1).build()) {
            one = epochData(a, 1);
        }
        try (ClipLoader b = small(good).optSeed(7).optWorkers(2).optPrefetch(1).build()) {
            two = epochData(b, 1);
        }
        try (ClipLoader c = small(good).optSeed(8).optWorkers(2).build()) {
            other = epochData(c, 1);
        }
        assertEquals(one.size(), two.size());
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), two.get(i), "batch " + i);
        }
        boolean differs = false;
        for (int i = 0; i < one.size(); i++) {
            differs |= !java.util.Arrays.equals(one.get(i), other.get(i));
        }
        assertTrue(differs, "another seed gives other batches");
    }

    @Test
    void constantColorGivesExpectedNormalizedValues() {
        Path p = TestVideos.constant(dir.resolve("const.mp4"), 40, 32, 10, 25, 200, 100, 50);
        try (ClipLoader loader = small(VideoSource.of(List.of(p))).setBatchSize(1).build();
                Batch b = loader.iterator().next()) {
            float[] v = b.video().toFloatArray();
            int plane = 4 * 16 * 16;
            int[] rgb = {200, 100, 50};
            for (int c = 0; c < 3; c++) {
                float expected = Normalization.IMAGENET.apply(c, rgb[c]);
                for (int i = 0; i < plane; i += 37) {
                    assertEquals(expected, v[c * plane + i], 0.06, "channel " + c); // about 3 levels of YUV rounding
                }
            }
        }
    }

    @Test
    void badFilesAreSkippedReplacedAndCounted() {
        Path ok = dir.resolve("v0.mp4");
        List<Path> files = List.of(
                ok,
                TestVideos.zeroBytes(dir.resolve("bad/zero.mp4")),
                TestVideos.text(dir.resolve("bad/text.mp4")),
                TestVideos.fakeMp4(dir.resolve("bad/fake.mp4")),
                TestVideos.audioOnly(dir.resolve("bad/audio.mp4")),
                TestVideos.truncated(ok, dir.resolve("bad/trunc.mp4"), 0.4),
                TestVideos.indexed(dir.resolve("odd/short.mp4"), 40, 40, 2, 25),
                TestVideos.indexed(dir.resolve("odd/tiny.mp4"), 8, 6, 6, 25),
                TestVideos.grayscale(dir.resolve("odd/gray.mkv"), 32, 24, 5),
                TestVideos.tenBit(dir.resolve("odd/ten.mkv"), 32, 24, 5),
                TestVideos.halves(dir.resolve("odd/rot.mp4"), 40, 24, 5, new int[] {1, 2, 3}, new int[] {4, 5, 6}, 90),
                TestVideos.variableFrameRate(dir.resolve("odd/vfr.mp4"), 32, 32, 10));
        VideoSource src = VideoSource.of(files);
        try (ClipLoader loader = small(src).setBatchSize(4).optWorkers(2).build()) {
            int rows = 0;
            for (int epoch = 0; epoch < 2; epoch++) {
                for (Batch b : loader) {
                    try (b) {
                        rows += b.size();
                        for (Path p : b.paths()) {
                            assertFalse(p.toString().contains("/bad/"), "bad file delivered: " + p);
                        }
                        assertFalse(hasNaN(b.video().toFloatArray()));
                    }
                }
            }
            assertEquals(24, rows, "every bad sample was replaced");
            LoaderStats s = loader.stats();
            assertEquals(5, s.badFileCount(), s.badFiles().toString());
            assertTrue(s.badSkips() >= 5);
            for (Path p : s.badFiles().keySet()) {
                assertTrue(p.toString().contains("/bad/"), "only the bad kinds are bad: " + p + " " + s.badFiles());
            }
        }
    }

    @Test
    void withoutReplacementBadSamplesAreLeftOutAndListed() {
        Path fake = TestVideos.fakeMp4(dir.resolve("skip/fake.mp4"));
        Path zero = TestVideos.zeroBytes(dir.resolve("skip/zero.mp4"));
        // batches of 3: [v0, fake, v1] [zero, fake, v2] [v3, v4, v5] [zero]
        List<VideoSample> samples = new ArrayList<>();
        for (Path p : List.of(dir.resolve("v0.mp4"), fake, dir.resolve("v1.mp4"), zero, fake, dir.resolve("v2.mp4"),
                dir.resolve("v3.mp4"), dir.resolve("v4.mp4"), dir.resolve("v5.mp4"), zero)) {
            samples.add(new VideoSample(p, samples.size()));
        }
        VideoSource src = VideoSource.ofSamples(samples);
        MaskGenerator gen = countingMasks();
        ClipLoader.Builder eval = ClipLoader.builder().setSource(src).setBatchSize(3).optShuffle(false)
                .optSampling(ClipSampling.ofStep(4, 2).withClipsPerVideo(2)).optTransform(ClipTransform.eval(16));
        // reference: every good sample loaded alone, same deterministic evaluation clips
        List<float[]> alone = new ArrayList<>();
        for (int i : new int[] {0, 2, 5, 6, 7, 8}) {
            try (ClipLoader one = ClipLoader.builder().setSource(VideoSource.ofSamples(List.of(samples.get(i))))
                    .setBatchSize(1).optSampling(ClipSampling.ofStep(4, 2).withClipsPerVideo(2))
                    .optTransform(ClipTransform.eval(16)).build()) {
                alone.add(epochData(one, 0).get(0));
            }
        }
        int[][] expectedIndices = {{0, 0, 2, 2}, {5, 5}, {6, 6, 7, 7, 8, 8}, {}};
        int[][] expectedSkipped = {{1}, {3, 4}, {}, {9}};
        try (ClipLoader loader = eval.optReplaceBadFiles(false).optWorkers(2).optMaskGenerator(gen).build()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                int b = 0;
                int good = 0;
                for (Batch batch : loader) {
                    try (batch) {
                        int[] idx = expectedIndices[b];
                        assertEquals(new Shape(idx.length, 3, 4, 16, 16), batch.video().getShape(), "batch " + b);
                        assertArrayEquals(idx, batch.sourceIndices(), "batch " + b);
                        assertArrayEquals(idx, batch.labels(), "labels are the source indices here");
                        assertEquals(idx.length, batch.paths().size());
                        for (int r = 0; r < idx.length; r++) {
                            assertEquals(samples.get(idx[r]).path(), batch.paths().get(r));
                        }
                        assertEquals(idx.length == 0 ? 0 : 1, batch.masks().size());
                        if (idx.length > 0) {
                            assertEquals(idx.length, batch.masks().get(0).batchSize(), "masks for the rows kept");
                        }
                        float[] v = batch.video().toFloatArray();
                        int perSample = 2 * 3 * 4 * 16 * 16;
                        for (int s = 0; s < idx.length / 2; s++, good++) {
                            assertArrayEquals(alone.get(good), java.util.Arrays.copyOfRange(v, s * perSample,
                                    (s + 1) * perSample), "sample " + idx[2 * s] + " keeps its own clips");
                        }
                        int[] sk = expectedSkipped[b];
                        assertEquals(sk.length, batch.skipped().size(), "batch " + b + " " + batch.skipped());
                        for (int k = 0; k < sk.length; k++) {
                            SkippedSample skipped = batch.skipped().get(k);
                            assertEquals(sk[k], skipped.position());
                            assertEquals(sk[k], skipped.sourceIndex());
                            assertEquals(samples.get(sk[k]).path(), skipped.path());
                            assertEquals(loader.stats().badFiles().get(skipped.path()), skipped.reason());
                            assertFalse(skipped.reason().isBlank());
                        }
                        b++;
                    }
                }
                assertEquals(4, b);
                assertEquals(6, good);
            }
            LoaderStats s = loader.stats();
            assertEquals(2, s.badFileCount(), s.badFiles().toString());
            assertEquals(8, s.badSkips(), "four bad samples per epoch, none drawn again");
            assertEquals(12, s.samplesDecoded());
        }
    }

    private static MaskGenerator countingMasks() {
        return new MaskGenerator() {
            @Override
            public List<MaskSet> sample(int batchSize, Random rng) {
                return List.of(new MaskSet(new long[batchSize][1], new long[batchSize][1]));
            }

            @Override
            public TokenGrid grid() {
                return new TokenGrid(1, 1, 2);
            }
        };
    }

    @Test
    void allFilesBadFailsInsteadOfStalling() {
        Path ok = dir.resolve("v1.mp4");
        Path fake = TestVideos.fakeMp4(dir.resolve("allbad/fake.mp4"));
        // the source check passes thanks to 'ok'; then 'ok' is swapped for a broken file behind the loader's back
        VideoSource src = VideoSource.ofSamples(List.of(new VideoSample(fake, 0), new VideoSample(ok, 0)));
        Path moved = dir.resolve("v1.moved");
        try {
            java.nio.file.Files.move(ok, moved);
            try (ClipLoader loader = small(src).build()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> loader.iterator().next());
                assertTrue(e.getMessage().contains("unreadable"), e.getMessage());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            try {
                java.nio.file.Files.move(moved, ok);
            } catch (java.io.IOException ignored) {
                // best effort
            }
        }
    }

    @Test
    void imageModeAndMasksAndOwnManager() {
        Path img = TestVideos.png(dir.resolve("img/a.png"), 30, 20, 255, 0, 0);
        MaskGenerator gen = new MaskGenerator() {
            @Override
            public List<MaskSet> sample(int batchSize, Random rng) {
                long[][] ctx = new long[batchSize][1];
                long[][] tgt = new long[batchSize][1];
                for (int i = 0; i < batchSize; i++) {
                    ctx[i][0] = rng.nextInt(4);
                    tgt[i][0] = 4;
                }
                return List.of(new MaskSet(ctx, tgt));
            }

            @Override
            public TokenGrid grid() {
                return new TokenGrid(1, 1, 5);
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            try (ClipLoader loader = small(VideoSource.of(List.of(img, dir.resolve("v2.mp4")))).optImageMode(true)
                    .optMaskGenerator(gen).optManager(manager).build();
                    Batch b = loader.iterator().next()) {
                assertEquals(new Shape(2, 3, 16, 16), b.video().getShape());
                assertEquals(1, b.masks().size());
                assertEquals(2, b.masks().get(0).batchSize());
            }
            assertTrue(manager.isOpen(), "a given manager is not closed by the loader");
        }
    }

    @Test
    void evaluationGivesSegmentsTimesViewsRows() {
        try (ClipLoader loader = ClipLoader.builder().setSource(good).setBatchSize(2).optShuffle(false)
                .optSampling(ClipSampling.ofStep(4, 1).withClipsPerVideo(2))
                .optTransform(ClipTransform.eval(16, 3)).build();
                Batch b = loader.iterator().next()) {
            assertEquals(6, loader.rowsPerSample());
            assertEquals(new Shape(12, 3, 4, 16, 16), b.video().getShape());
            assertEquals(good.get(0).path(), b.paths().get(5));
            assertEquals(good.get(1).path(), b.paths().get(6));
        }
    }

    @Test
    void closeStopsAllWorkerThreads() throws Exception {
        Set<Thread> before = loaderThreads();
        ClipLoader loader = small(good).optWorkers(2).optPrefetch(3).build();
        Set<Thread> running = loaderThreads();
        running.removeAll(before);
        assertEquals(2, running.size(), "two worker threads started");
        EpochIterator it = loader.iterator();
        it.next().close(); // leave the rest of the epoch in flight
        loader.close();
        assertTrue(loader.isClosed());
        for (Thread t : running) {
            assertFalse(t.isAlive(), "worker thread still alive after close: " + t.getName());
        }
        assertEquals(before, loaderThreads());
        assertThrows(IllegalStateException.class, loader::iterator);
        assertFalse(it.hasNext());
    }

    private static Set<Thread> loaderThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jepa4j-clip-loader-") && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean hasNaN(float[] v) {
        for (float x : v) {
            if (Float.isNaN(x)) {
                return true;
            }
        }
        return false;
    }
}
