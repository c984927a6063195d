package org.jepa4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.spark.EncoderSpec;
import org.jepa4j.spark.ExecutorEncoder;
import org.jepa4j.spark.SparkExtractionReport;
import org.jepa4j.spark.SparkFeatureExtractor;
import org.jepa4j.spark.SparkSessions;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.features.FeatureFormat;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.train.features.RunEncoderLoader;
import org.jepa4j.video.loader.ClipReading;
import org.jepa4j.video.source.VideoSource;

/**
 * {@code jepa4j extract --engine spark}: the options of {@link ExtractCommand} run as a
 * {@link SparkFeatureExtractor} job. Only this class of the command line refers to Spark, and only
 * {@link ExtractCommand} with {@code --engine spark} refers to it, so Spark's classes are loaded only then.
 *
 * <p>The same entry point runs under {@code spark-submit} ({@code --class org.jepa4j.examples.cli.Jepa4j}): the
 * session then takes its master and settings from spark-submit (docs/scaling.md).
 */
final class SparkExtract {

    private SparkExtract() {
    }

    /**
     * Runs the extraction as a Spark job.
     *
     * @param c the parsed command
     * @param formats the file formats, or empty for Parquet
     * @param o standard output
     * @return the exit code
     * @throws IOException if the source, the encoder or the output cannot be read or written
     */
    static int run(ExtractCommand c, Set<FeatureFormat> formats, PrintWriter o) throws IOException {
        quietSparkLogs();
        SparkSession spark = SparkSessions.start(c.master, "jepa4j extract");
        try {
            String modelPath = (c.model.run != null ? c.model.run : c.model.hf).toString();
            EncoderSpec spec = c.model.run != null ? EncoderSpec.jepa4jRun(modelPath) : EncoderSpec.huggingFace(modelPath);
            Path resolved = spec.resolvedPath(); // as given, else shipped with spark-submit --files/--archives
            TrainConfig runConfig = null;
            if (c.model.run != null) {
                runConfig = RunEncoderLoader.of(resolved).config();
            } else if (!Files.isRegularFile(resolved.resolve("config.json"))) {
                throw new IOException(modelPath + ": not a Hugging Face model directory (no config.json)");
            }
            VideoSource videos = DataPaths.source(c.source);
            FrozenEncoder enc = ExecutorEncoder.get(spec, c.compute.resolve());
            VitConfig vc = enc.config();
            ExtractCommand.Clips clips = c.clips(vc, runConfig);
            boolean parquet = formats.isEmpty();
            o.printf(Locale.ROOT, "jepa4j extract (spark %s, %d cores): %d %s from %s, encoder %s, %s -> %s (%s)%n",
                    spark.sparkContext().master(), spark.sparkContext().defaultParallelism(), videos.size(),
                    clips.image() ? "images" : "videos", videos.description(), enc.description(), clips.text(), c.out,
                    parquet ? "parquet" : formats.toString().toLowerCase(Locale.ROOT));
            o.flush();
            SparkFeatureExtractor.Builder b = SparkFeatureExtractor.builder()
                    .setEncoder(spec)
                    .optDevice(c.compute.device)
                    .optReading(new ClipReading(clips.sampling(), clips.transform(), clips.image(), c.batch,
                            c.workers))
                    .optTokens(!c.noTokens)
                    .optPooled(!c.noPooled)
                    .optResume(c.resume);
            if (!parquet) {
                b.optFileFormats(formats);
            }
            if (c.partitions != null) {
                b.optPartitions(c.partitions);
            }
            if (c.commitEvery != null) {
                b.optCommitEvery(c.commitEvery);
            }
            SparkExtractionReport r = b.build().extract(spark, videos, c.out.toString());
            o.printf(Locale.ROOT, "jepa4j extract: %d clips of %d/%d samples in %s (%.1f clips/s, %d partitions)%s; "
                    + "output %s%n", r.clipsWritten(), r.samplesEncoded(), r.samples(),
                    PretrainCommand.duration(r.seconds()), r.clipsPerSecond(), r.partitions(),
                    r.samplesKept() > 0 ? ", " + r.samplesKept() + " samples kept from before" : "", r.output());
            if (!r.badFiles().isEmpty()) {
                o.printf("jepa4j extract: %d file(s) could not be decoded (%s):%n", r.badFiles().size(),
                        parquet ? "rows with an error in the Parquet output" : "listed in bad_files.csv");
                ExtractCommand.printBadFiles(o, r.badFiles());
            }
            o.flush();
            return 0;
        } finally {
            spark.stop();
            ExecutorEncoder.release();
        }
    }

    /** Spark and Hadoop log at INFO by default: warnings only, unless the user set a level. */
    private static void quietSparkLogs() {
        for (String pkg : new String[] {"org.apache.spark", "org.sparkproject", "org.apache.hadoop",
            "org.apache.parquet"}) {
            String key = "org.slf4j.simpleLogger.log." + pkg;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
        if (System.getProperty("spark.ui.showConsoleProgress") == null) {
            System.setProperty("spark.ui.showConsoleProgress", "true");
        }
    }
}
