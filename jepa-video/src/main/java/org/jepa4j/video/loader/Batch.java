package org.jepa4j.video.loader;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.video.mask.MaskSet;

/**
 * One batch from a {@link ClipLoader}. Owns its NDArrays (in its own sub-manager): close it when done.
 *
 * <p>Rows: each sample gives {@code rowsPerSample = clipsPerVideo x viewsPerClip} rows, sample-major, so
 * the tensor has {@code R = samples x rowsPerSample} rows; {@link #labels()}, {@link #paths()},
 * {@link #sourceIndices()} and the masks are per row.
 *
 * <p>Skipped samples: a loader built with {@code optReplaceBadFiles(false)} leaves a sample whose file
 * cannot be decoded out of the batch: its rows are absent from the tensor and from every per-row list
 * (the other samples keep their order), and the sample is listed in {@link #skipped()} with the reason.
 * Such a batch holds fewer than {@code batchSize x rowsPerSample} rows, possibly none (a tensor of shape
 * {@code [0, ...]}, no masks). With the default replacement, {@link #skipped()} is always empty.
 */
public final class Batch implements AutoCloseable {

    private final NDManager manager;
    private final NDArray video;
    private final int[] labels;
    private final List<Path> paths;
    private final List<MaskSet> masks;
    private final int[] sourceIndices;
    private final List<SkippedSample> skipped;
    private final int epoch;
    private final int index;
    private final int rowsPerSample;

    Batch(NDManager manager, NDArray video, int[] labels, List<Path> paths, int[] sourceIndices,
            List<SkippedSample> skipped, List<MaskSet> masks, int epoch, int index, int rowsPerSample) {
        this.manager = manager;
        this.video = video;
        this.labels = labels;
        this.paths = List.copyOf(paths);
        this.sourceIndices = sourceIndices;
        this.skipped = List.copyOf(skipped);
        this.masks = masks == null ? List.of() : List.copyOf(masks);
        this.epoch = epoch;
        this.index = index;
        this.rowsPerSample = rowsPerSample;
    }

    /**
     * The clips, float32, normalized: [R, C, T, H, W], or [R, C, H, W] in image mode.
     *
     * @return the clips, float32, normalized: [R, C, T, H, W], or [R, C, H, W] in image mode
     */
    public NDArray video() {
        return video;
    }

    /**
     * Label of each row.
     *
     * @return label of each row
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Labels as an int64 NDArray [R] owned by this batch.
     *
     * @return labels as an int64 NDArray [R] owned by this batch
     */
    public NDArray labelArray() {
        long[] l = new long[labels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels[i];
        }
        return manager.create(l);
    }

    /**
     * Source file of each row (after bad-file replacement).
     *
     * @return source file of each row (after bad-file replacement)
     */
    public List<Path> paths() {
        return paths;
    }

    /**
     * Index in the loader's source ({@code VideoSource.get}) of each row's sample (after bad-file replacement).
     *
     * @return index in the loader's source ({@code VideoSource.get}) of each row's sample (after bad-file replacement)
     */
    public int[] sourceIndices() {
        return sourceIndices.clone();
    }

    /**
     * The samples of this batch left out because their file could not be decoded, in epoch order; always
     * empty unless the loader was built with {@code optReplaceBadFiles(false)}.
     *
     * @return the skipped samples (possibly empty)
     */
    public List<SkippedSample> skipped() {
        return skipped;
    }

    /**
     * The mask generator's mask sets for the R rows, or an empty list without a generator (or without rows).
     *
     * @return the mask generator's mask sets for the R rows, or an empty list without a generator (or without rows)
     */
    public List<MaskSet> masks() {
        return masks;
    }

    /**
     * Rows in the tensor (R).
     *
     * @return rows in the tensor (R)
     */
    public int size() {
        return labels.length;
    }

    /**
     * Rows per sample (clips per video x spatial views).
     *
     * @return rows per sample (clips per video x spatial views)
     */
    public int rowsPerSample() {
        return rowsPerSample;
    }

    /**
     * Epoch this batch belongs to.
     *
     * @return epoch this batch belongs to
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Position of this batch in its epoch (0-based).
     *
     * @return position of this batch in its epoch (0-based)
     */
    public int index() {
        return index;
    }

    /**
     * The manager owning this batch's arrays (a sub-manager of the loader's manager).
     *
     * @return the manager owning this batch's arrays (a sub-manager of the loader's manager)
     */
    public NDManager manager() {
        return manager;
    }

    /** Frees the batch's native memory. */
    @Override
    public void close() {
        manager.close();
    }
}
