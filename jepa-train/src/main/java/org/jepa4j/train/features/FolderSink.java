package org.jepa4j.train.features;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.video.source.VideoSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink of {@link FeatureExtractor#extract}: writes each clip's files into the output folder and collects their
 * records, collects the skipped samples (logged at WARN) and reports progress after each batch. The samples it
 * receives are a subset of the whole source ({@code todo}); files, records and bad files name the positions in the
 * whole source.
 */
final class FolderSink implements FeatureSink {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureExtractor.class);

    private final FeatureExtractor extractor;
    private final VideoSource source;
    private final Path outDir;
    private final int[] todo;
    private final List<FeatureRecord> records;
    private final List<BadFile> bad;
    private final ProgressListener progress;
    private long done;
    private int samplesWritten;

    /**
     * A sink writing into {@code outDir}.
     *
     * @param extractor names and writes the files
     * @param source the whole source
     * @param outDir the output folder (its features sub-folder exists)
     * @param todo for each sample encoded, its position in the whole source
     * @param reused samples kept from before (counted as done)
     * @param records receives the record of each clip written
     * @param bad receives the samples skipped
     * @param progress told after each batch
     */
    FolderSink(FeatureExtractor extractor, VideoSource source, Path outDir, int[] todo, int reused,
            List<FeatureRecord> records, List<BadFile> bad, ProgressListener progress) {
        this.extractor = extractor;
        this.source = source;
        this.outDir = outDir;
        this.todo = todo;
        this.records = records;
        this.bad = bad;
        this.progress = progress;
        this.done = reused;
    }

    @Override
    public void clip(ClipFeatures clip) throws IOException {
        int sample = todo[clip.sourceIndex()]; // index in the whole source (names the files)
        FeatureRecord rec = extractor.record(sample, source.get(sample), FeatureExtractor.labelName(source, sample),
                clip.segment(), clip.view());
        extractor.writeClip(outDir, rec, clip);
        records.add(rec);
    }

    @Override
    public void skipped(BadFile b) {
        BadFile whole = new BadFile(todo[b.sample()], b.path(), b.reason());
        bad.add(whole);
        LOG.warn("sample {} skipped, file not readable: {} ({})", whole.sample(), whole.path(), whole.reason());
    }

    @Override
    public void batchDone(int encoded, int skipped) {
        samplesWritten += encoded;
        done += encoded + skipped;
        progress.onProgress(done, source.size(), bad.size());
    }

    /** Samples encoded and written so far. */
    int samplesWritten() {
        return samplesWritten;
    }
}
