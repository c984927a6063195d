package org.jepa4j.spark;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.jepa4j.train.Devices;
import org.jepa4j.train.features.BadFile;
import org.jepa4j.train.features.ExtractionManifest;
import org.jepa4j.train.features.FeatureExtractor;
import org.jepa4j.train.features.FeatureFormat;
import org.jepa4j.train.features.FeatureRecord;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.video.source.SkippedFile;
import org.jepa4j.video.source.VideoSample;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.loader.ClipReading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FeatureExtractor} as a Spark job: the samples of a source become a Dataset of paths (not file contents),
 * dealt round-robin into partitions on the driver (no shuffle); each task decodes, batches and encodes its partition with the single-JVM code
 * ({@link FeatureExtractor#encode}) and this executor's one shared encoder ({@link ExecutorEncoder}).
 *
 * <p><b>Outputs.</b> By default a Parquet dataset with one row per clip ({@link FeatureRows#PARQUET}); an unreadable
 * file is a row with its reason in {@code error}, never a failed job. The Parquet output is committed in waves of
 * {@link Builder#optCommitEvery(int) commitEvery} samples (one Spark job each), so an interrupted run loses at
 * most one wave. With {@link Builder#optFileFormats(Set)} the output is the single-JVM layout instead
 * ({@code features/}, {@code index.csv}, {@code bad_files.csv}, {@code extraction.json}), written by the executors
 * into a folder all of them see (local disk in {@code local[*]} mode, a shared filesystem on a cluster).
 *
 * <p><b>Resuming.</b> With {@link Builder#optResume(boolean) optResume(true)}, Parquet: the paths that already have
 * rows (features or an error) are skipped and new rows are appended, if the dataset's settings
 * ({@value #PARQUET_MANIFEST}) match; file layout: exactly as the single-JVM extractor (complete samples are kept).
 *
 * <p><b>The driver</b> loads the encoder once too, to check the settings (and, in {@code local[*]} mode, shares it
 * with the tasks, which run in the same JVM).
 */
public final class SparkFeatureExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(SparkFeatureExtractor.class);

    /** The settings file of a Parquet output (ignored by Parquet readers: its name starts with '_'). */
    public static final String PARQUET_MANIFEST = "_jepa4j_extraction.json";

    private final EncoderSpec encoder;
    private final String device;
    private final ClipReading reading;
    private final Set<FeatureFormat> fileFormats;
    private final boolean tokens;
    private final boolean pooled;
    private final boolean resume;
    private final int partitions;
    private final int commitEvery;

    private SparkFeatureExtractor(Builder b) {
        encoder = b.encoder;
        device = b.device;
        reading = b.reading;
        fileFormats = b.fileFormats == null ? null : EnumSet.copyOf(b.fileFormats);
        tokens = b.tokens;
        pooled = b.pooled;
        resume = b.resume;
        partitions = b.partitions;
        commitEvery = b.commitEvery;
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the extraction.
     *
     * @param spark the session (its master decides where the tasks run)
     * @param source the samples; every path must be readable by the executors under the same name
     * @param out the Parquet dataset (any Hadoop filesystem URI or local path), or the output folder of the file
     *     layout (a local or shared path)
     * @return counts and the unreadable files of this run
     * @throws IOException if the output cannot be read or written
     * @throws IllegalStateException when resuming into an output made with other settings, or when the output
     *     exists and is not a jepa4j Parquet extraction (nothing is deleted then)
     */
    public SparkExtractionReport extract(SparkSession spark, VideoSource source, String out) throws IOException {
        long t0 = System.nanoTime();
        FrozenEncoder enc = ExecutorEncoder.get(encoder, driverDevice());
        Set<FeatureFormat> formats = fileFormats == null ? EnumSet.of(FeatureFormat.SAFETENSORS) : fileFormats;
        FeatureExtractor fx = FeatureExtractor.builder().setEncoder(enc)
                .optReading(reading != null ? reading : FeatureExtractor.defaultReading(enc)).optFormats(formats)
                .optTokens(tokens).optPooled(pooled).optResume(resume).build();
        TaskSettings settings = TaskSettings.of(encoder, device, fx, formats, tokens, pooled);
        return fileFormats == null ? toParquet(spark, source, out, fx, settings, t0)
                : toFiles(spark, source, Path.of(out), fx, settings, t0);
    }

    private SparkExtractionReport toParquet(SparkSession spark, VideoSource source, String out, FeatureExtractor fx,
            TaskSettings settings, long t0) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(out);
        FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        org.apache.hadoop.fs.Path manifestFile = new org.apache.hadoop.fs.Path(dir, PARQUET_MANIFEST);
        ExtractionManifest ours = manifest(fx);
        boolean exists = fs.exists(dir) && fs.listStatus(dir).length > 0;
        Set<String> done = new HashSet<>();
        if (exists && !fs.exists(manifestFile)) {
            throw new IllegalStateException(out + " exists and is not a jepa4j Parquet extraction (no "
                    + PARQUET_MANIFEST + "); choose another output, nothing was deleted");
        }
        if (exists && resume) {
            List<String> diff = readManifest(fs, manifestFile).differences(ours);
            if (!diff.isEmpty()) {
                throw new IllegalStateException("cannot resume into " + out + ": its features were made with other "
                        + "settings (" + String.join("; ", diff) + "). Use another output, or extract without "
                        + "resuming to replace them.");
            }
            if (hasParquet(fs, dir)) {
                for (Row r : spark.read().parquet(out).select("path").distinct().collectAsList()) {
                    done.add(r.getString(0));
                }
            }
        } else if (exists) {
            fs.delete(dir, true); // a previous jepa4j extraction (it has our manifest), replaced
        }
        fs.mkdirs(dir);
        writeManifest(fs, manifestFile, ours);
        List<Row> todo = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            VideoSample s = source.get(i);
            if (!done.contains(s.path().toString())) {
                todo.add(FeatureRows.input(i, s.path().toString(), s.label(), FeatureExtractor.labelName(source, i)));
            }
        }
        int kept = source.size() - todo.size();
        if (kept > 0) {
            LOG.info("resuming into {}: {} of {} samples already have rows", out, kept, source.size());
        }
        // files the folder scan left out (media by name, not by content): error rows of their own, sample -1
        List<BadFile> scanned = new ArrayList<>();
        List<Row> scannedRows = new ArrayList<>();
        for (SkippedFile f : source.skippedFiles()) {
            if (!done.contains(f.path().toString())) {
                scanned.add(new BadFile(BadFile.NOT_A_SAMPLE, f.path(), f.reason()));
                scannedRows.add(FeatureRows.parquetError(FeatureRows.input(BadFile.NOT_A_SAMPLE, f.path().toString(),
                        -1, ""), fx.encoder().description(), f.reason()));
            }
        }
        if (!scannedRows.isEmpty()) {
            spark.createDataFrame(scannedRows, FeatureRows.PARQUET).coalesce(1).write().mode(SaveMode.Append)
                    .parquet(out);
        }
        ExtractionTally tally = new ExtractionTally(spark.sparkContext());
        int tasks = 0;
        int waves = 0;
        for (int from = 0; from < todo.size(); from += commitEvery) {
            List<Row> wave = todo.subList(from, Math.min(todo.size(), from + commitEvery));
            int n = partitionsFor(spark, wave.size());
            spark.sparkContext().setJobDescription("jepa4j extract: samples " + from + "-" + (from + wave.size())
                    + " of " + todo.size() + " -> " + out);
            input(spark, wave, n)
                    .mapPartitions(new ExtractPartition(settings, null, tally), Encoders.row(FeatureRows.PARQUET))
                    .write().mode(SaveMode.Append).parquet(out);
            tasks += n;
            waves++;
        }
        return report(source.size(), kept, scanned, tally, out, tasks, waves, t0);
    }

    private SparkExtractionReport toFiles(SparkSession spark, VideoSource source, Path out, FeatureExtractor fx,
            TaskSettings settings, long t0) throws IOException {
        Files.createDirectories(out.resolve(FeatureExtractor.FEATURES_DIR));
        List<FeatureRecord> records = new ArrayList<>();
        int[] todo = fx.claimOutputFolder(source, out, records);
        List<Row> input = new ArrayList<>(todo.length);
        for (int i : todo) {
            VideoSample s = source.get(i);
            input.add(FeatureRows.input(i, s.path().toString(), s.label(), FeatureExtractor.labelName(source, i)));
        }
        int kept = source.size() - todo.length;
        ExtractionTally tally = new ExtractionTally(spark.sparkContext());
        List<BadFile> scanned = new ArrayList<>();
        for (SkippedFile f : source.skippedFiles()) { // named by the folder scan, as the single-JVM extractor does
            scanned.add(new BadFile(BadFile.NOT_A_SAMPLE, f.path(), f.reason()));
        }
        List<BadFile> bad = new ArrayList<>(scanned);
        int n = 0;
        if (!input.isEmpty()) {
            n = partitionsFor(spark, input.size());
            spark.sparkContext().setJobDescription("jepa4j extract: " + input.size() + " samples -> " + out);
            List<Row> rows = input(spark, input, n)
                    .mapPartitions(new ExtractPartition(settings, out.toAbsolutePath().toString(), tally),
                            Encoders.row(FeatureRows.FILES))
                    .collectAsList();
            for (Row r : rows) {
                if (r.isNullAt(9)) {
                    records.add(new FeatureRecord(r.getInt(0), Path.of(r.getString(1)), r.getInt(2), r.getString(3),
                            r.getInt(4), r.getInt(5), r.getString(6), r.getString(7), r.getString(8)));
                } else {
                    bad.add(new BadFile(r.getInt(0), Path.of(r.getString(1)), r.getString(9)));
                }
            }
        }
        if (records.isEmpty() && source.size() > 0) {
            throw new IllegalStateException("no file of " + source.description() + " could be decoded ("
                    + bad.size() + " unreadable, e.g. " + bad.get(0).path() + ": " + bad.get(0).reason() + ")");
        }
        FeatureExtractor.finishOutputFolder(out, records, bad);
        return report(source.size(), kept, scanned, tally, out.toString(), n, n > 0 ? 1 : 0, t0);
    }

    private static SparkExtractionReport report(int samples, int kept, List<BadFile> scanned, ExtractionTally tally,
            String out, int tasks, int waves, long t0) {
        List<BadFile> bad = new ArrayList<>(scanned);
        for (ExtractionTally.Bad b : tally.bad.value()) {
            bad.add(new BadFile(b.sample(), Path.of(b.path()), b.reason()));
        }
        bad.sort(Comparator.comparingInt(BadFile::sample));
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("extracted {} clips of {} samples ({} kept from before, {} unreadable) in {} partitions, {} s",
                tally.clips.value(), tally.samples.value(), kept, bad.size(), tasks, String.format("%.1f", seconds));
        return new SparkExtractionReport(samples, kept, tally.samples.value(), tally.clips.value(), bad, out, tasks,
                waves, seconds);
    }

    /** The driver's device: {@code device} when this JVM has it (local mode), else the CPU (a GPU-less driver). */
    private Device driverDevice() {
        try {
            return Devices.resolve(device).get(0);
        } catch (RuntimeException e) {
            LOG.info("the driver checks the settings on the CPU ({} is not available here: {})", device,
                    e.getMessage());
            return Device.cpu();
        }
    }

    /**
     * The input rows as a Dataset of {@code n} partitions, dealt round-robin (neighbouring files, often alike in
     * length, land in different partitions) and cut on the driver: no shuffle stage.
     */
    private static Dataset<Row> input(SparkSession spark, List<Row> rows, int n) {
        List<Row> dealt = new ArrayList<>(rows.size());
        for (int p = 0; p < n; p++) {
            for (int i = p; i < rows.size(); i += n) {
                dealt.add(rows.get(i));
            }
        }
        JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(dealt, n);
        return spark.createDataFrame(rdd, FeatureRows.INPUT);
    }

    /** Partitions for {@code samples} samples: as set, else one per core, more for large inputs (256 each). */
    private int partitionsFor(SparkSession spark, int samples) {
        int n = partitions > 0 ? partitions
                : Math.max(spark.sparkContext().defaultParallelism(), (samples + 255) / 256);
        return Math.max(1, Math.min(n, samples));
    }

    private ExtractionManifest manifest(FeatureExtractor fx) {
        Map<String, String> m = new TreeMap<>();
        m.put("layout", "parquet");
        m.put("encoder", fx.encoder().description());
        m.put("sampling", fx.sampling().toString());
        m.put("crop", Integer.toString(fx.transform().cropSize()));
        m.put("views", Integer.toString(fx.transform().viewsPerClip()));
        m.put("image_mode", Boolean.toString(fx.imageMode()));
        m.put("tokens", Boolean.toString(tokens));
        m.put("pooled", Boolean.toString(pooled));
        return new ExtractionManifest(m);
    }

    private static boolean hasParquet(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        for (FileStatus f : fs.listStatus(dir)) {
            if (f.getPath().getName().endsWith(".parquet")) {
                return true;
            }
        }
        return false;
    }

    private static void writeManifest(FileSystem fs, org.apache.hadoop.fs.Path file, ExtractionManifest m)
            throws IOException {
        try (OutputStream o = fs.create(file, true)) {
            o.write(m.toJson().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static ExtractionManifest readManifest(FileSystem fs, org.apache.hadoop.fs.Path file)
            throws IOException {
        try (InputStream in = fs.open(file)) {
            return ExtractionManifest.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(file + " is not an extraction manifest: " + e.getMessage(), e);
        }
    }


    /** Builder of {@link SparkFeatureExtractor}: {@code setEncoder} is required. */
    public static final class Builder {

        private EncoderSpec encoder;
        private String device = "auto";
        private ClipReading reading;
        private Set<FeatureFormat> fileFormats;
        private boolean tokens = true;
        private boolean pooled = true;
        private boolean resume;
        private int partitions;
        private int commitEvery = 10_000;

        private Builder() {
        }

        /**
         * Sets where the encoder is (required).
         *
         * @param encoder the encoder's recipe
         * @return this builder
         */
        public Builder setEncoder(EncoderSpec encoder) {
            this.encoder = encoder;
            return this;
        }

        /**
         * Sets the device when Spark schedules no GPU for a task: auto, cpu, gpu or gpu:N (default auto).
         *
         * @param device the device
         * @return this builder
         */
        public Builder optDevice(String device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * Sets how samples are read: sampling, evaluation transform, image mode, samples per forward pass and the
         * decoding threads of each task (default {@link FeatureExtractor#defaultReading}).
         *
         * @param reading the loader settings
         * @return this builder
         */
        public Builder optReading(ClipReading reading) {
            this.reading = Objects.requireNonNull(reading, "reading");
            return this;
        }

        /**
         * Writes the single-JVM file layout in these formats instead of Parquet (default: Parquet).
         *
         * @param formats safetensors and/or npy
         * @return this builder
         */
        public Builder optFileFormats(Set<FeatureFormat> formats) {
            this.fileFormats = Objects.requireNonNull(formats, "formats");
            return this;
        }

        /**
         * Keeps token features (default true).
         *
         * @param tokens whether to keep them
         * @return this builder
         */
        public Builder optTokens(boolean tokens) {
            this.tokens = tokens;
            return this;
        }

        /**
         * Keeps pooled features (default true).
         *
         * @param pooled whether to keep them
         * @return this builder
         */
        public Builder optPooled(boolean pooled) {
            this.pooled = pooled;
            return this;
        }

        /**
         * Continues an earlier extraction into the same output (default false: the output is replaced).
         *
         * @param resume whether to resume
         * @return this builder
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Sets the partitions per wave (default 0: one per core, or one per 256 samples when that is more).
         *
         * @param partitions Spark tasks per wave, 0 for the default
         * @return this builder
         */
        public Builder optPartitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /**
         * Sets the samples per committed Parquet wave (default 10000).
         *
         * @param samples samples per wave
         * @return this builder
         */
        public Builder optCommitEvery(int samples) {
            this.commitEvery = samples;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the setting at fault
         * @return a new extractor ready to be applied to a dataset of video paths
         */
        public SparkFeatureExtractor build() {
            if (encoder == null) {
                throw new IllegalArgumentException("SparkFeatureExtractor: encoder is required (setEncoder)");
            }
            if (partitions < 0 || commitEvery < 1) {
                throw new IllegalArgumentException("SparkFeatureExtractor: partitions must be >= 0 and commitEvery "
                        + ">= 1, got " + partitions + " and " + commitEvery);
            }
            if (fileFormats != null && fileFormats.isEmpty()) {
                throw new IllegalArgumentException("SparkFeatureExtractor: at least one file format is needed");
            }
            if (!tokens && !pooled) {
                throw new IllegalArgumentException("SparkFeatureExtractor: nothing to write (tokens and pooled off)");
            }
            return new SparkFeatureExtractor(this);
        }
    }
}
