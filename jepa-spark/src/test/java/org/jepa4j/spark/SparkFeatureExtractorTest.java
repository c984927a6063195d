package org.jepa4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.train.features.BadFile;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.ExtractionReport;
import org.jepa4j.train.features.FeatureExtractor;
import org.jepa4j.train.features.FeatureFormat;
import org.jepa4j.train.features.FeatureIndex;
import org.jepa4j.train.features.FeatureRecord;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.loader.ClipReading;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.SyntheticVideos;
import org.jepa4j.video.transform.ClipTransform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in {@code local[2]} on good, odd (other size, frame rate, too short) and broken videos, against the
 * single-JVM extractor on the same files: same clips, same features within 1e-5, every broken file reported.
 */
class SparkFeatureExtractorTest {

    /** The tiny V-JEPA 2 fixture of jepa-core (64 px, 4 frames, tubelet 2, patch 16, width 96). */
    static final String HF = "../jepa-core/src/test/resources/hf/vjepa2-tiny";
    static final ClipSampling SAMPLING = ClipSampling.ofStep(4, 2).withClipsPerVideo(2);
    static final ClipTransform TRANSFORM = ClipTransform.eval(64, 2);
    static final double TOL = 1e-5;

    @TempDir
    static Path dir;
    static VideoSource source;
    static Path single;
    static ExtractionReport singleReport;
    static SparkSession spark;

    @BeforeAll
    static void setUp() throws Exception {
        Path videos = dir.resolve("videos");
        SyntheticVideos.write(videos, new SyntheticVideos.Spec(4, 24, 64, 16, 2, 7));
        // odd files: another size and frame rate, and a video shorter than one clip's span (4 frames x step 2)
        moveAll(SyntheticVideos.write(dir.resolve("odd1"), new SyntheticVideos.Spec(2, 40, 96, 30, 1, 9)), videos,
                "big30fps");
        moveAll(SyntheticVideos.write(dir.resolve("odd2"), new SyntheticVideos.Spec(2, 5, 48, 8, 1, 3)), videos,
                "short");
        // broken files: random bytes behind an MP4 header, and a good file cut after 3000 bytes
        byte[] fake = new byte[4096];
        new Random(1).nextBytes(fake);
        System.arraycopy(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, 0, fake, 0, 12);
        Files.write(videos.resolve("right/broken.mp4"), fake);
        byte[] good = Files.readAllBytes(Files.list(videos.resolve("left")).sorted().findFirst().orElseThrow());
        Files.write(videos.resolve("left/truncated.mp4"), java.util.Arrays.copyOf(good, 3000));
        Files.write(videos.resolve("right/empty.mp4"), new byte[0]); // left out by the folder scan, reported too
        source = VideoSource.fromFolder(videos);
        single = dir.resolve("single");
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.huggingFace(Path.of(HF)))) {
            singleReport = FeatureExtractor.builder().setEncoder(enc)
                    .optReading(new ClipReading(SAMPLING, TRANSFORM, false, 3, 2))
                    .optFormats(EnumSet.of(FeatureFormat.SAFETENSORS, FeatureFormat.NPY)).build()
                    .extract(source, single);
        }
        spark = SparkSessions.start("local[2]", "jepa-spark-test");
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
        ExecutorEncoder.release();
    }

    private static void moveAll(List<Path> files, Path videos, String prefix) throws Exception {
        for (Path f : files) {
            Files.move(f, videos.resolve(f.getParent().getFileName()).resolve(prefix + "-" + f.getFileName()));
        }
    }

    private static SparkFeatureExtractor.Builder job() {
        return SparkFeatureExtractor.builder().setEncoder(EncoderSpec.huggingFace(HF))
                .optReading(new ClipReading(SAMPLING, TRANSFORM, false, 3, 1)).optPartitions(2);
    }

    @Test
    void parquetHoldsTheSingleJvmFeaturesAndEveryBrokenFileWithItsReason() throws Exception {
        assertEquals(3, singleReport.badFiles().size(), "fixture: three broken files, " + singleReport.badFiles());
        assertEquals(1, source.skippedFiles().size(), "fixture: the empty file is left out by the scan");
        assertEquals(source.size() - 2, singleReport.samplesWritten(), "fixture: the odd files decode");
        String out = dir.resolve("parquet").toString();
        SparkExtractionReport r = job().build().extract(spark, source, out);
        assertEquals(singleReport.clipsWritten(), r.clipsWritten());
        assertEquals(singleReport.samplesWritten(), r.samplesEncoded());
        assertEquals(paths(singleReport.badFiles()), paths(r.badFiles()));

        Dataset<Row> df = spark.read().parquet(out);
        assertEquals(FeatureRows.PARQUET.asNullable(), df.schema().asNullable(), "the documented schema");
        List<Row> rows = df.collectAsList();
        Map<String, Row> byClip = new HashMap<>();
        Map<String, String> errors = new TreeMap<>();
        for (Row row : rows) {
            String path = row.getAs("path");
            if (row.getAs("error") != null) {
                errors.put(path, row.getAs("error"));
                assertTrue(row.isNullAt(row.fieldIndex("pooled")) && row.isNullAt(row.fieldIndex("tokens")));
                continue;
            }
            String key = path + "|" + row.getAs("segment") + "|" + row.getAs("view");
            assertTrue(byClip.put(key, row) == null, "one row per clip: " + key);
        }
        assertEquals(new TreeSet<>(paths(singleReport.badFiles())), errors.keySet(), "every broken file, once");
        errors.values().forEach(reason -> assertFalse(reason.isBlank(), "a reason"));
        for (BadFile b : singleReport.badFiles()) {
            assertEquals(b.reason(), errors.get(b.path().toString()), "the single-JVM reason");
        }

        List<FeatureRecord> index = FeatureIndex.read(single.resolve(FeatureIndex.FILE_NAME));
        assertEquals(index.size(), byClip.size(), "the same clips");
        for (FeatureRecord rec : index) {
            Row row = byClip.get(rec.path() + "|" + rec.segment() + "|" + rec.view());
            assertTrue(row != null, "clip of the single-JVM index missing from Parquet: " + rec);
            assertEquals(rec.sample(), (int) row.getAs("sample"));
            assertEquals(rec.label(), (int) row.getAs("label"));
            assertEquals(rec.labelName(), row.getAs("label_name"));
            assertEquals("huggingface:" + HF, row.getAs("encoder"));
            try (SafeTensorsReader st = SafeTensors.open(single.resolve(rec.safetensors()))) {
                float[] tokens = FeatureRows.tokens(row.getAs("tokens"));
                assertEquals(List.of((int) st.info("tokens").shape()[0], (int) st.info("tokens").shape()[1]),
                        row.getList(row.fieldIndex("tokens_shape")));
                assertClose(st.readFloats("tokens"), tokens, rec + " tokens");
                List<Float> pooled = row.getList(row.fieldIndex("pooled"));
                float[] p = new float[pooled.size()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = pooled.get(i);
                }
                assertClose(st.readFloats("pooled"), p, rec + " pooled");
            }
        }
        assertEquals(1, ExecutorEncoder.loads(), "one encoder in this JVM, shared by the driver and the tasks");
    }

    @Test
    void fileLayoutIsTheSingleJvmLayout() throws Exception {
        Path out = dir.resolve("files");
        SparkExtractionReport r = job().optFileFormats(EnumSet.of(FeatureFormat.SAFETENSORS, FeatureFormat.NPY))
                .build().extract(spark, source, out.toString());
        assertEquals(singleReport.clipsWritten(), r.clipsWritten());
        for (String f : List.of(FeatureIndex.FILE_NAME, FeatureExtractor.BAD_FILES, FeatureExtractor.MANIFEST)) {
            assertEquals(Files.readString(single.resolve(f)), Files.readString(out.resolve(f)), f);
        }
        List<String> singleFiles = list(single.resolve(FeatureExtractor.FEATURES_DIR));
        assertEquals(singleFiles, list(out.resolve(FeatureExtractor.FEATURES_DIR)), "the same files");
        for (FeatureRecord rec : FeatureIndex.read(out.resolve(FeatureIndex.FILE_NAME))) {
            try (SafeTensorsReader a = SafeTensors.open(single.resolve(rec.safetensors()));
                    SafeTensorsReader b = SafeTensors.open(out.resolve(rec.safetensors()))) {
                assertClose(a.readFloats("tokens"), b.readFloats("tokens"), rec + " tokens");
                assertClose(a.readFloats("pooled"), b.readFloats("pooled"), rec + " pooled");
                assertEquals(a.metadata(), b.metadata());
            }
        }
        assertEquals(1, ExecutorEncoder.loads(), "one encoder in this JVM");
    }

    @Test
    void parquetResumeSkipsDonePathsAndRefusesOtherSettings() throws Exception {
        String out = dir.resolve("resume").toString();
        int[] firstHalf = java.util.stream.IntStream.range(0, source.size() / 2).toArray();
        SparkExtractionReport first = job().build().extract(spark, source.subset(firstHalf), out);
        SparkExtractionReport second = job().optResume(true).optCommitEvery(3).build().extract(spark, source, out);
        assertEquals(firstHalf.length, second.samplesKept());
        long badSamples = second.badFiles().stream().filter(b -> b.sample() != BadFile.NOT_A_SAMPLE).count();
        assertEquals(source.size() - firstHalf.length, second.samplesEncoded() + badSamples);
        assertTrue(second.waves() >= 2, "committed in waves of 3 samples: " + second.waves());
        List<Row> rows = spark.read().parquet(out).select("path", "segment", "view").collectAsList();
        Set<String> keys = rows.stream().map(Row::toString).collect(Collectors.toSet());
        assertEquals(rows.size(), keys.size(), "no clip twice");
        assertEquals(singleReport.clipsWritten() + singleReport.badFiles().size(), rows.size());
        assertEquals(first.clipsWritten() + second.clipsWritten(), singleReport.clipsWritten());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> job().optResume(true)
                .optReading(new ClipReading(SAMPLING, ClipTransform.eval(64, 1), false, 3, 1)).build()
                .extract(spark, source, out));
        assertTrue(e.getMessage().contains("views: 2 -> 1"), e.getMessage());
        Path notOurs = Files.createDirectories(dir.resolve("not-ours"));
        Files.writeString(notOurs.resolve("keep.txt"), "x");
        assertThrows(IllegalStateException.class, () -> job().build().extract(spark, source, notOurs.toString()));
        assertTrue(Files.exists(notOurs.resolve("keep.txt")), "nothing deleted");
        assertEquals(1, ExecutorEncoder.loads(), "one encoder in this JVM");
    }

    private static List<String> paths(List<BadFile> bad) {
        return bad.stream().map(b -> b.path().toString()).sorted().toList();
    }

    private static List<String> list(Path folder) throws Exception {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > TOL) {
                throw new AssertionError(what + " differs at " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
    }
}
