package org.jepa4j.examples.bench;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.spark.EncoderSpec;
import org.jepa4j.spark.ExecutorEncoder;
import org.jepa4j.spark.SparkExtractionReport;
import org.jepa4j.spark.SparkFeatureExtractor;
import org.jepa4j.spark.SparkSessions;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.ExtractionReport;
import org.jepa4j.train.features.FeatureExtractor;
import org.jepa4j.train.features.FeatureFormat;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.loader.ClipReading;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.SyntheticVideos;
import org.jepa4j.video.transform.ClipTransform;

/**
 * Clips per second of the Spark job in {@code local[N]} against the single-JVM {@link FeatureExtractor} on the same
 * cores, same videos, same encoder, in the same JVM, runs alternated; and the cost of starting a SparkSession.
 *
 * <p>The single-JVM extractor decodes with {@code N} threads and writes safetensors; the Spark job runs {@code N}
 * tasks of one decoding thread each and writes Parquet (and, separately, the single-JVM file layout). Every engine
 * runs once to warm up (JIT, the shared encoder, Spark's code generation), then {@code runs} times; the figures
 * are medians. {@code sparkOverhead = 1 - spark / single} (positive: Spark is slower).
 *
 * <p>The encoder is a randomly initialized ViT ({@code width/depth/heads}, patch 16, tubelet 2) at
 * {@code size} px and {@code frames} frames: speed does not depend on the weights.
 */
public final class SparkExtractionBenchmark {

    private SparkExtractionBenchmark() {
    }

    /**
     * The settings of one benchmark.
     *
     * @param master the Spark master, e.g. {@code local[2]}
     * @param cores decoding threads of the single-JVM extractor (one per Spark task)
     * @param videos videos extracted per run
     * @param runs timed runs per engine
     * @param width encoder width
     * @param depth encoder depth
     * @param heads attention heads
     * @param size crop size in pixels
     * @param frames frames per clip
     */
    public record Settings(String master, int cores, int videos, int runs, int width, int depth, int heads, int size,
            int frames) {

        /**
         * Tiny sizes, for a test that the benchmark runs (figures mean nothing).
         *
         * @return small sizes that run in seconds (for tests and smoke runs)
         */
        public static Settings quick() {
            return new Settings("local[2]", 2, 4, 1, 32, 1, 2, 32, 4);
        }

        /**
         * The default: a ViT-S/16 at 112 px, 8 frames, 64 videos, 3 runs, local[2].
         *
         * @return the sizes the published figures are measured at
         */
        public static Settings standard() {
            return new Settings("local[2]", 2, 64, 3, 384, 12, 6, 112, 8);
        }
    }

    /**
     * The figures.
     *
     * @param settings what ran
     * @param clipsPerRun clips per run
     * @param sessionStartSeconds first SparkSession of the JVM, from the call to a usable session
     * @param firstJobSeconds the first Parquet extraction of the JVM (warm-up run: class loading, code generation)
     * @param singleClipsPerSecond single-JVM runs, in order
     * @param sparkParquetClipsPerSecond Spark runs writing Parquet, in order
     * @param sparkFilesClipsPerSecond Spark runs writing the single-JVM layout, in order
     * @param singleMedian median of the single-JVM runs
     * @param sparkParquetMedian median of the Parquet runs
     * @param sparkFilesMedian median of the file-layout runs
     * @param sparkParquetOverhead {@code 1 - sparkParquetMedian / singleMedian}
     * @param sparkFilesOverhead {@code 1 - sparkFilesMedian / singleMedian}
     * @param singleSecondsPerClip wall seconds per clip of the single-JVM median, on these cores
     */
    public record Figures(Settings settings, int clipsPerRun, double sessionStartSeconds, double firstJobSeconds,
            List<Double> singleClipsPerSecond, List<Double> sparkParquetClipsPerSecond,
            List<Double> sparkFilesClipsPerSecond, double singleMedian, double sparkParquetMedian,
            double sparkFilesMedian, double sparkParquetOverhead, double sparkFilesOverhead,
            double singleSecondsPerClip) {}

    /**
     * Runs the benchmark in a temporary folder (deleted afterwards).
     *
     * @param s the settings
     * @return the figures
     * @throws IOException if a file cannot be written
     */
    public static Figures run(Settings s) throws IOException {
        Path dir = Files.createTempDirectory("jepa4j-spark-bench");
        try {
            return run(s, dir);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Figures run(Settings s, Path dir) throws IOException {
        int w = s.width();
        int d = s.depth();
        int h = s.heads();
        int px = s.size();
        int t = s.frames();
        VitConfig config = vit(w, d, h, px, t);
        Path weights = dir.resolve("encoder.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            SafeTensors.write(weights, new VisionTransformer(config, m, 1L).parameters(), null);
        }
        EncoderSpec spec = EncoderSpec.of("bench-vit", weights.toString(),
                p -> EncoderLoader.safeTensors(p, vit(w, d, h, px, t)));
        int videoSize = Math.max(px + px / 7, 32) / 2 * 2;
        SyntheticVideos.write(dir.resolve("videos"), new SyntheticVideos.Spec(s.videos(), 4 * t + 8, videoSize, 16, 2,
                3));
        VideoSource source = VideoSource.fromFolder(dir.resolve("videos"));
        ClipSampling sampling = ClipSampling.ofStep(t, 2);
        ClipTransform transform = ClipTransform.eval(px);

        long t0 = System.nanoTime();
        SparkSession spark = SparkSessions.start(s.master(), "jepa4j spark benchmark");
        double start = (System.nanoTime() - t0) / 1e9;
        List<Double> single = new ArrayList<>();
        List<Double> parquet = new ArrayList<>();
        List<Double> files = new ArrayList<>();
        int clips = 0;
        double firstJob = 0;
        try (FrozenEncoder enc = FrozenEncoder.load(spec.loader())) {
            FeatureExtractor fx = FeatureExtractor.builder().setEncoder(enc)
                    .optReading(new ClipReading(sampling, transform, false, 4, s.cores())).build();
            SparkFeatureExtractor.Builder job = SparkFeatureExtractor.builder().setEncoder(spec).optDevice("cpu")
                    .optReading(new ClipReading(sampling, transform, false, 4, 1));
            SparkFeatureExtractor sparkParquet = job.build();
            SparkFeatureExtractor sparkFiles = job.optFileFormats(EnumSet.of(FeatureFormat.SAFETENSORS)).build();
            for (int run = -1; run < s.runs(); run++) { // run -1 warms up
                System.err.println("bench: single run " + run);
                ExtractionReport a = fx.extract(source, dir.resolve("single-" + run));
                System.err.println("bench: spark parquet run " + run);
                SparkExtractionReport b = sparkParquet.extract(spark, source, dir.resolve("parquet-" + run).toString());
                SparkExtractionReport c = sparkFiles.extract(spark, source, dir.resolve("files-" + run).toString());
                System.err.printf(Locale.ROOT, "run %d: single %.2f, spark parquet %.2f, spark files %.2f clips/s%n",
                        run, a.clipsPerSecond(), b.clipsPerSecond(), c.clipsPerSecond());
                if (run < 0) {
                    firstJob = b.seconds();
                } else {
                    single.add(round(a.clipsPerSecond()));
                    parquet.add(round(b.clipsPerSecond()));
                    files.add(round(c.clipsPerSecond()));
                }
                clips = a.clipsWritten();
            }
        } finally {
            spark.stop();
            ExecutorEncoder.release();
        }
        double ms = median(single);
        double mp = median(parquet);
        double mf = median(files);
        return new Figures(s, clips, round(start), round(firstJob), single, parquet, files, ms, mp, mf, round(1 - mp / ms),
                round(1 - mf / ms), round(1 / ms));
    }

    private static VitConfig vit(int width, int depth, int heads, int size, int frames) {
        return VitConfig.builder().setWidth(width).setDepth(depth).setNumHeads(heads).optPatchSize(16)
                .optTubeletSize(2).optFrames(frames).optImageSize(size).build();
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }

    /**
     * Runs the standard benchmark (or the quick one with {@code --quick}) and prints its figures.
     *
     * @param args optional {@code --quick}, or {@code videos runs} overriding the standard sizes
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Settings s = Settings.standard();
        if (args.length > 0 && args[0].equals("--quick")) {
            s = Settings.quick();
        } else if (args.length >= 2) {
            s = new Settings(s.master(), s.cores(), Integer.parseInt(args[0]), Integer.parseInt(args[1]), s.width(),
                    s.depth(), s.heads(), s.size(), s.frames());
        }
        System.out.println(run(s));
    }
}
