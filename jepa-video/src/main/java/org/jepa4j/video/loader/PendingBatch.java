package org.jepa4j.video.loader;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jepa4j.video.mask.MaskSet;

/**
 * A batch being filled by the workers: host buffers written sample by sample, completed when the last
 * sample is in.
 */
final class PendingBatch {

    final int epoch;
    final int index;
    final int samples;
    final int firstPosition;
    final float[] data; // [R, C, T, H, W]
    final int[] labels; // [R]
    final Path[] paths; // [R]
    final AtomicInteger remaining;
    final CompletableFuture<PendingBatch> done = new CompletableFuture<>();
    volatile boolean cancelled;
    volatile List<MaskSet> masks;

    PendingBatch(int epoch, int index, int samples, int firstPosition, int rowsPerSample, int floatsPerRow) {
        this.epoch = epoch;
        this.index = index;
        this.samples = samples;
        this.firstPosition = firstPosition;
        int rows = samples * rowsPerSample;
        this.data = new float[Math.multiplyExact(rows, floatsPerRow)];
        this.labels = new int[rows];
        this.paths = new Path[rows];
        this.remaining = new AtomicInteger(samples);
    }
}
