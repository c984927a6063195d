package org.jepa4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.jepa4j.train.features.BadFile;
import org.jepa4j.train.features.ClipFeatures;
import org.jepa4j.train.features.FeatureExtractor;
import org.jepa4j.train.features.FeatureRecord;
import org.jepa4j.train.features.FeatureSink;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.video.source.VideoSample;
import org.jepa4j.video.source.VideoSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Spark task: the samples of a partition ({@link FeatureRows#INPUT} rows) through the single-JVM extractor's
 * decoding, batching and encoding ({@link FeatureExtractor#encode}) with this executor's shared encoder
 * ({@link ExecutorEncoder}), out as {@link FeatureRows#PARQUET} rows, or, for the file layout, as files under the
 * output folder plus {@link FeatureRows#FILES} rows. An unreadable file becomes a row with its reason.
 *
 * <p>Decoding and encoding run on a thread of their own that hands rows to the task thread through a bounded
 * {@link RowStream}, so a partition streams to Parquet instead of being held in memory.
 */
final class ExtractPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ExtractPartition.class);

    private final TaskSettings settings;
    /** The output folder of the file layout, or null for Parquet rows. */
    private final String fileOutput;
    private final ExtractionTally tally;

    ExtractPartition(TaskSettings settings, String fileOutput, ExtractionTally tally) {
        this.settings = settings;
        this.fileOutput = fileOutput;
        this.tally = tally;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) throws IOException {
        List<Row> in = new ArrayList<>();
        List<VideoSample> samples = new ArrayList<>();
        while (input.hasNext()) {
            Row r = input.next();
            in.add(r);
            samples.add(new VideoSample(Path.of(r.getString(1)), r.getInt(2)));
        }
        if (in.isEmpty()) {
            return Collections.emptyIterator();
        }
        FrozenEncoder enc = ExecutorEncoder.get(settings.encoder(), ExecutorEncoder.taskDevice(settings.device()));
        FeatureExtractor fx = settings.extractor(enc, false);
        TaskContext tc = TaskContext.get();
        String name = "partition " + (tc == null ? "?" : tc.partitionId());
        List<String> labels = new ArrayList<>();
        int maxLabel = samples.stream().mapToInt(VideoSample::label).max().orElse(0);
        for (int l = 0; l <= maxLabel; l++) {
            labels.add(Integer.toString(l)); // names travel in the rows; the loader only needs the ids
        }
        VideoSource source = VideoSource.ofKnownSamples(name, samples, labels);
        RowStream rows = new RowStream(Math.max(16, 2 * settings.batchSize() * fx.rowsPerSample()));
        FeatureSink sink = counted(in, fileOutput == null ? parquetSink(in, rows, enc.description())
                : fileSink(in, rows, fx));
        long t0 = System.nanoTime();
        Thread producer = new Thread(() -> {
            try {
                fx.encode(source, sink);
                LOG.info("{}: {} samples decoded and encoded in {} ms", name, samples.size(),
                        (System.nanoTime() - t0) / 1_000_000);
                rows.end();
            } catch (Throwable t) {
                rows.fail(t);
            }
        }, "jepa4j-extract-" + name.replace(' ', '-'));
        producer.setDaemon(true);
        if (tc != null) {
            tc.addTaskCompletionListener((TaskContext ctx) -> producer.interrupt());
        }
        producer.start();
        return rows;
    }

    /** {@code sink}, counting into the run's tally. */
    private FeatureSink counted(List<Row> in, FeatureSink sink) {
        return new FeatureSink() {
            @Override
            public void clip(ClipFeatures clip) throws IOException {
                sink.clip(clip);
                tally.clips.add(1);
            }

            @Override
            public void skipped(BadFile bad) throws IOException {
                sink.skipped(bad);
                Row r = in.get(bad.sample());
                tally.bad.add(new ExtractionTally.Bad(r.getInt(0), r.getString(1), bad.reason()));
            }

            @Override
            public void batchDone(int encoded, int skipped) {
                tally.samples.add(encoded);
            }
        };
    }

    private static FeatureSink parquetSink(List<Row> in, RowStream rows, String encoder) {
        return new FeatureSink() {
            @Override
            public void clip(ClipFeatures clip) throws IOException {
                rows.put(FeatureRows.parquetClip(in.get(clip.sourceIndex()), clip, encoder));
            }

            @Override
            public void skipped(BadFile bad) throws IOException {
                rows.put(FeatureRows.parquetError(in.get(bad.sample()), encoder, bad.reason()));
            }
        };
    }

    private FeatureSink fileSink(List<Row> in, RowStream rows, FeatureExtractor fx) {
        Path out = Path.of(fileOutput);
        return new FeatureSink() {
            @Override
            public void clip(ClipFeatures clip) throws IOException {
                Row r = in.get(clip.sourceIndex());
                FeatureRecord rec = fx.record(r.getInt(0), new VideoSample(Path.of(r.getString(1)), r.getInt(2)),
                        r.getString(3), clip.segment(), clip.view());
                fx.writeClip(out, rec, clip);
                rows.put(FeatureRows.fileClip(r, rec));
            }

            @Override
            public void skipped(BadFile bad) throws IOException {
                rows.put(FeatureRows.fileError(in.get(bad.sample()), bad.reason()));
            }
        };
    }
}
