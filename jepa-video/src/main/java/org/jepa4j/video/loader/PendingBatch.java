package org.jepa4j.video.loader;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jepa4j.video.mask.MaskSet;

/**
 * A batch being filled by the workers: host buffers written sample by sample, completed when the last
 * sample is in. Sample {@code slot} owns rows {@code [slot * rowsPerSample, (slot + 1) * rowsPerSample)}
 * until {@link #compact()} moves the loaded samples' rows to the front.
 */
final class PendingBatch {

    final int epoch;
    final int index;
    final int samples;
    final int firstPosition;
    final int rowsPerSample;
    final int floatsPerRow;
    final float[] data; // [R, C, T, H, W]
    final int[] labels; // [R]
    final Path[] paths; // [R]
    final int[] sourceIndices; // [R]
    final SkippedSample[] skipped; // [samples], null where the sample was loaded
    final AtomicInteger remaining;
    final CompletableFuture<PendingBatch> done = new CompletableFuture<>();
    volatile boolean cancelled;
    volatile List<MaskSet> masks;
    /** Rows holding loaded samples, set by {@link #compact()}. */
    int rows;

    PendingBatch(int epoch, int index, int samples, int firstPosition, int rowsPerSample, int floatsPerRow) {
        this.epoch = epoch;
        this.index = index;
        this.samples = samples;
        this.firstPosition = firstPosition;
        this.rowsPerSample = rowsPerSample;
        this.floatsPerRow = floatsPerRow;
        int r = samples * rowsPerSample;
        this.data = new float[Math.multiplyExact(r, floatsPerRow)];
        this.labels = new int[r];
        this.paths = new Path[r];
        this.sourceIndices = new int[r];
        this.skipped = new SkippedSample[samples];
        this.remaining = new AtomicInteger(samples);
    }

    /**
     * Moves the rows of the loaded samples to the front, in slot order, over those of skipped samples, and
     * sets {@link #rows}. Called once, by the worker completing the batch.
     */
    void compact() {
        int floatsPerSample = rowsPerSample * floatsPerRow;
        int kept = 0;
        for (int slot = 0; slot < samples; slot++) {
            if (skipped[slot] != null) {
                continue;
            }
            if (kept != slot) { // moves only towards the front: earlier kept rows are never overwritten
                System.arraycopy(data, slot * floatsPerSample, data, kept * floatsPerSample, floatsPerSample);
                System.arraycopy(labels, slot * rowsPerSample, labels, kept * rowsPerSample, rowsPerSample);
                System.arraycopy(paths, slot * rowsPerSample, paths, kept * rowsPerSample, rowsPerSample);
                System.arraycopy(sourceIndices, slot * rowsPerSample, sourceIndices, kept * rowsPerSample, rowsPerSample);
            }
            kept++;
        }
        rows = kept * rowsPerSample;
    }
}
