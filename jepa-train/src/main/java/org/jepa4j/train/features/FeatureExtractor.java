package org.jepa4j.train.features;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jepa4j.core.io.Npy;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.TensorData;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.loader.Batch;
import org.jepa4j.video.loader.ClipLoader;
import org.jepa4j.video.loader.ClipReading;
import org.jepa4j.video.loader.EpochIterator;
import org.jepa4j.video.loader.SkippedSample;
import org.jepa4j.video.source.VideoSample;
import org.jepa4j.video.source.SkippedFile;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.transform.ClipTransform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts frozen-encoder features for every sample of a {@link VideoSource}.
 *
 * <p>Clips come from a {@link ClipLoader} in evaluation mode: no shuffling, deterministic windows
 * ({@link ClipSampling#clipsPerVideo()} temporal segments spread over each video) and deterministic crops
 * ({@link ClipTransform#eval(int, int)}: one center crop or several views along the long side). Each clip
 * (segment x view) of each sample gives token features {@code [N, D]} and their mean over tokens, the pooled
 * features {@code [D]}, written under {@code out/features/} as {@code <sample>_s<segment>_v<view>.safetensors}
 * (tensors {@code tokens} and {@code pooled}) and/or {@code .tokens.npy} / {@code .pooled.npy}, plus
 * {@code out/index.csv} ({@link FeatureIndex}).
 *
 * <p><b>Bad files.</b> A file that cannot be decoded is skipped and reported (in the
 * {@link ExtractionReport}, in {@code out/bad_files.csv} and in the log), never replaced by another sample:
 * the loader runs with {@code optReplaceBadFiles(false)}, so a bad sample is simply absent from its batch
 * and listed in {@link Batch#skipped()}. Files a folder scan left out although their names say video or image
 * ({@link VideoSource#skippedFiles()}: empty, text, another format) are listed too, with an empty sample column.
 *
 * <p><b>Resuming.</b> The output folder records its settings in {@value #MANIFEST}. With
 * {@link FeatureExtractorBuilder#optResume(boolean) optResume(true)} an interrupted extraction continues: samples
 * whose files are all present (files are written atomically, so a present file is complete) are kept and not decoded
 * again, the others are encoded, and the index lists all of them. Resuming into a folder made with other settings
 * (encoder, clip sampling, crops, formats or another list of samples) fails and names the settings that differ.
 *
 * <p><b>Memory.</b> Every batch's arrays, the encoder's temporaries and outputs included, live in the batch's
 * own manager, closed after the batch: the number of live arrays does not grow with the run.
 */
public final class FeatureExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureExtractor.class);

    /** Sub-folder of the output folder receiving the per-clip files. */
    public static final String FEATURES_DIR = "features";
    /** File listing skipped samples ({@code sample,path,reason}), written when there are any. */
    public static final String BAD_FILES = "bad_files.csv";
    /** File recording the settings the output folder's features were made with (checked when resuming). */
    public static final String MANIFEST = "extraction.json";

    private final FrozenEncoder encoder;
    private final ClipReading reading;
    private final ClipSampling sampling;
    private final ClipTransform transform;
    private final boolean imageMode;
    private final Set<FeatureFormat> formats;
    private final boolean writeTokens;
    private final boolean writePooled;
    private final ProgressListener progress;
    private final boolean resume;

    FeatureExtractor(FeatureExtractorBuilder b) {
        encoder = b.encoder;
        reading = b.reading != null ? b.reading : defaultReading(encoder);
        imageMode = reading.imageMode();
        sampling = reading.sampling();
        transform = reading.transform();
        formats = EnumSet.copyOf(b.formats);
        writeTokens = b.tokens;
        writePooled = b.pooled;
        progress = b.progress;
        resume = b.resume;
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static FeatureExtractorBuilder builder() {
        return new FeatureExtractorBuilder();
    }

    /**
     * The loader settings an extraction uses unless told otherwise: the encoder's frame count with frame step 4,
     * one center crop at its image size, images for an image encoder, 4 samples per batch.
     *
     * @param encoder the encoder
     * @return the default settings for it
     */
    public static ClipReading defaultReading(FrozenEncoder encoder) {
        return ClipReading.of(ClipSampling.ofStep(encoder.config().frames(), 4),
                ClipTransform.eval(encoder.config().imageSize())).withImageMode(!encoder.config().isVideo());
    }

    /**
     * Encodes every sample of {@code source} and writes the features and the index into {@code outDir}.
     *
     * @param source the samples (labels are written to the index)
     * @param outDir output folder (created if needed); existing files of the same names are replaced
     * @return counts, skipped files and the index path
     * @throws IOException if an output file cannot be written
     * @throws IllegalStateException if no file of the source can be decoded
     */
    public ExtractionReport extract(VideoSource source, Path outDir) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(outDir.resolve(FEATURES_DIR));
        int rps = rowsPerSample();
        List<FeatureRecord> records = new ArrayList<>();
        int[] todo = claimOutputFolder(source, outDir, records); // source indices still to encode
        int reused = source.size() - todo.length;
        if (reused > 0) {
            LOG.info("resuming into {}: {} of {} samples already extracted", outDir, reused, source.size());
            progress.onProgress(reused, source.size(), 0);
        }
        List<BadFile> bad = new ArrayList<>();
        for (SkippedFile f : source.skippedFiles()) { // named by the folder scan: media by name, not by content
            bad.add(new BadFile(BadFile.NOT_A_SAMPLE, f.path(), f.reason()));
        }
        FolderSink sink = new FolderSink(this, source, outDir, todo, reused, records, bad, progress);
        if (todo.length > 0) {
            encode(todo.length == source.size() ? source : source.subset(todo), sink);
        }
        int samplesWritten = sink.samplesWritten();
        if (samplesWritten + reused == 0 && source.size() > 0) {
            throw new IllegalStateException("no file of " + source.description() + " could be decoded ("
                    + bad.size() + " unreadable, e.g. " + bad.get(0).path() + ": " + bad.get(0).reason() + ")");
        }
        Path index = finishOutputFolder(outDir, records, bad);
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("extracted {} clips of {} samples ({} kept from before, {} skipped) in {} s", records.size(),
                samplesWritten, reused, bad.size(), String.format("%.1f", seconds));
        return new ExtractionReport(source.size(), samplesWritten, reused, records.size() - reused * rps, bad,
                index, seconds);
    }

    /**
     * Encodes every sample of {@code source} and hands the clips and the unreadable samples to {@code sink}, batch
     * by batch, writing nothing: the decoding, batching and encoding of {@link #extract}, for callers that store the
     * features elsewhere (a Spark job's rows, a database). Samples come in source order; an unreadable sample is
     * reported, not replaced.
     *
     * @param source the samples
     * @param sink receives clips (their {@link ClipFeatures#sourceIndex()} is the position in {@code source}) and
     *     skipped samples (their {@link BadFile#sample()} likewise)
     * @throws IOException if the sink throws
     */
    public void encode(VideoSource source, FeatureSink sink) throws IOException {
        int views = transform.viewsPerClip();
        int rps = rowsPerSample();
        try (ClipLoader loader = ClipLoader.builder()
                .setSource(source)
                .optReading(reading)
                .optShuffle(false)
                .optReplaceBadFiles(false)
                .optDevice(encoder.device())
                .build()) {
            if (loader.rowsPerSample() != rps) {
                throw new IllegalStateException("loader gives " + loader.rowsPerSample() + " clips per sample, "
                        + "expected " + rps + " (" + sampling + ", " + views + " views)");
            }
            EpochIterator it = loader.epoch(0);
            while (it.hasNext()) {
                try (Batch batch = it.next()) {
                    for (SkippedSample k : batch.skipped()) {
                        sink.skipped(new BadFile(k.sourceIndex(), k.path(), k.reason()));
                    }
                    if (batch.size() > 0) {
                        encodeBatch(batch, rps, views, sink);
                    }
                    sink.batchDone(batch.size() / rps, batch.skipped().size());
                }
            }
        }
    }

    private void encodeBatch(Batch batch, int rps, int views, FeatureSink sink) throws IOException {
        NDArray tokens = encoder.encode(batch.video()); // [R, N, D], owned by the batch's manager
        int n = (int) tokens.getShape().get(1);
        int d = (int) tokens.getShape().get(2);
        float[] tok = writeTokens ? tokens.toFloatArray() : null;
        float[] pooled = writePooled ? tokens.mean(new int[] {1}).toFloatArray() : null; // [R, D]
        int[] sampleOfRow = batch.sourceIndices(); // [R], indices into the source
        for (int row = 0; row < batch.size(); row++) {
            int r = row % rps;
            float[] t = tok == null ? null : Arrays.copyOfRange(tok, row * n * d, (row + 1) * n * d); // [N, D]
            float[] p = pooled == null ? null : Arrays.copyOfRange(pooled, row * d, (row + 1) * d); // [D]
            sink.clip(new ClipFeatures(sampleOfRow[row], r / views, r % views, n, d, t, p));
        }
    }

    /**
     * Claims an output folder for {@code source}: writes its manifest, or with {@code optResume(true)} checks the
     * manifest there and collects the records of the samples whose files are all present.
     *
     * @param source all samples of the extraction
     * @param outDir the output folder (must exist)
     * @param kept receives the records of the samples already complete (resume), in source order
     * @return indices of the samples still to encode, ascending
     * @throws IOException if the manifest cannot be read or written
     * @throws IllegalStateException when resuming into a folder made with other settings (names them)
     */
    public int[] claimOutputFolder(VideoSource source, Path outDir, List<FeatureRecord> kept) throws IOException {
        int views = transform.viewsPerClip();
        int rps = rowsPerSample();
        ExtractionManifest ours = ExtractionManifest.of(encoder.description(), sampling.toString(),
                transform.cropSize(), views, imageMode, formats.toString(), writeTokens, writePooled, source);
        Path manifestFile = outDir.resolve(MANIFEST);
        List<Integer> todo = new ArrayList<>();
        if (resume && Files.exists(manifestFile)) {
            List<String> diff = ExtractionManifest.read(manifestFile).differences(ours);
            if (!diff.isEmpty()) {
                throw new IllegalStateException("cannot resume into " + outDir + ": its features were made with other "
                        + "settings (" + String.join("; ", diff) + "). Use another output folder, or extract "
                        + "without resuming to replace them.");
            }
            for (int sample = 0; sample < source.size(); sample++) {
                List<FeatureRecord> rows = new ArrayList<>(rps);
                for (int r = 0; r < rps; r++) {
                    rows.add(record(sample, source.get(sample), labelName(source, sample), r / views, r % views));
                }
                if (rows.stream().allMatch(rec -> rec.files().stream()
                        .allMatch(f -> Files.exists(outDir.resolve(f))))) {
                    kept.addAll(rows);
                } else {
                    todo.add(sample);
                }
            }
        } else {
            for (int sample = 0; sample < source.size(); sample++) {
                todo.add(sample);
            }
        }
        ours.write(manifestFile);
        return todo.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Writes the index of an output folder ({@value FeatureIndex#FILE_NAME}, records sorted by sample, segment,
     * view) and its {@value #BAD_FILES} (removed when there are no bad files).
     *
     * @param outDir the output folder
     * @param records one per clip written or kept
     * @param bad the samples skipped (positions in the whole source; {@link BadFile#NOT_A_SAMPLE} for files the folder
     *     scan left out, listed first with an empty sample column)
     * @return the index file
     * @throws IOException if a file cannot be written
     */
    public static Path finishOutputFolder(Path outDir, List<FeatureRecord> records, List<BadFile> bad)
            throws IOException {
        List<FeatureRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(FeatureRecord::sample).thenComparingInt(FeatureRecord::segment)
                .thenComparingInt(FeatureRecord::view));
        Path index = outDir.resolve(FeatureIndex.FILE_NAME);
        FeatureIndex.write(index, sorted);
        Path badFile = outDir.resolve(BAD_FILES);
        if (!bad.isEmpty()) {
            BadFile.writeCsv(badFile, bad);
        } else {
            Files.deleteIfExists(badFile);
        }
        return index;
    }

    /**
     * The record of one clip: its sample, label and the output files (relative to the output folder) that this
     * extractor's formats give it, named {@code features/<sample>_s<segment>_v<view>.*}.
     *
     * @param sample the sample's position in the whole source (names the files)
     * @param vs the sample
     * @param labelName its label's name, or empty
     * @param segment temporal segment
     * @param view spatial view
     * @return the record
     */
    public FeatureRecord record(int sample, VideoSample vs, String labelName, int segment, int view) {
        String base = FEATURES_DIR + "/" + String.format("%06d_s%d_v%d", sample, segment, view);
        boolean st = formats.contains(FeatureFormat.SAFETENSORS);
        boolean npy = formats.contains(FeatureFormat.NPY);
        return new FeatureRecord(sample, vs.path(), vs.label(), labelName, segment, view,
                st ? base + ".safetensors" : "",
                npy && writeTokens ? base + ".tokens.npy" : "",
                npy && writePooled ? base + ".pooled.npy" : "");
    }

    /**
     * Writes one clip's files (atomically) as {@code rec} names them.
     *
     * @param outDir the output folder (its {@value #FEATURES_DIR} sub-folder must exist)
     * @param rec the clip's record ({@link #record})
     * @param clip its features
     * @throws IOException if a file cannot be written
     */
    public void writeClip(Path outDir, FeatureRecord rec, ClipFeatures clip) throws IOException {
        int n = clip.numTokens();
        int d = clip.width();
        if (!rec.safetensors().isEmpty()) {
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            if (clip.tokens() != null) {
                tensors.put("tokens", TensorData.ofFloats(clip.tokens(), n, d));
            }
            if (clip.pooled() != null) {
                tensors.put("pooled", TensorData.ofFloats(clip.pooled(), d));
            }
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("path", rec.path().toString());
            meta.put("label", Integer.toString(rec.label()));
            meta.put("label_name", rec.labelName());
            meta.put("segment", Integer.toString(rec.segment()));
            meta.put("view", Integer.toString(rec.view()));
            meta.put("encoder", encoder.description());
            SafeTensors.writeData(outDir.resolve(rec.safetensors()), tensors, meta);
        }
        if (!rec.tokensNpy().isEmpty()) {
            Npy.writeFloats(outDir.resolve(rec.tokensNpy()), clip.tokens(), n, d);
        }
        if (!rec.pooledNpy().isEmpty()) {
            Npy.writeFloats(outDir.resolve(rec.pooledNpy()), clip.pooled(), d);
        }
    }

    /**
     * The name of sample {@code i}'s label in {@code source}.
     *
     * @param source the source
     * @param i the sample's position
     * @return the label's name, or empty when it has none
     */
    public static String labelName(VideoSource source, int i) {
        VideoSample vs = source.get(i);
        return vs.label() >= 0 && vs.label() < source.labelNames().size() ? source.labelNames().get(vs.label()) : "";
    }

    /**
     * Clips per sample: segments x views (1 x views for images).
     *
     * @return clips per sample
     */
    public int rowsPerSample() {
        return sampling.clipsPerVideo() * transform.viewsPerClip();
    }

    /**
     * The encoder.
     *
     * @return the encoder
     */
    public FrozenEncoder encoder() {
        return encoder;
    }

    /**
     * The clip sampling (the default resolved from the encoder when none was set).
     *
     * @return the sampling
     */
    public ClipSampling sampling() {
        return sampling;
    }

    /**
     * The spatial transform (the default resolved from the encoder when none was set).
     *
     * @return the transform
     */
    public ClipTransform transform() {
        return transform;
    }

    /**
     * Whether samples are read as images.
     *
     * @return true for images
     */
    public boolean imageMode() {
        return imageMode;
    }

    /**
     * The loader settings (sampling, transform, image mode, batch size, decoding threads).
     *
     * @return the settings
     */
    public ClipReading reading() {
        return reading;
    }
}
