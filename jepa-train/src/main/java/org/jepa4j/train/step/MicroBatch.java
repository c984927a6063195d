package org.jepa4j.train.step;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;
import org.jepa4j.video.mask.MaskSet;

/**
 * The input of one forward/backward pass: pixels and the mask sets of their rows.
 *
 * @param video float32 {@code [B, C, T, H, W]} (video) or {@code [B, C, H, W]} (image), on any device
 * @param masks one {@link MaskSet} per mask set, each with B rows
 */
public record MicroBatch(NDArray video, List<MaskSet> masks) {

    /** Checks that every mask set has one row per sample. */
    public MicroBatch {
        Objects.requireNonNull(video, "video");
        masks = List.copyOf(masks);
        if (masks.isEmpty()) {
            throw new IllegalArgumentException("a micro-batch needs at least one mask set");
        }
        long rows = video.getShape().get(0);
        for (int i = 0; i < masks.size(); i++) {
            if (masks.get(i).batchSize() != rows) {
                throw new IllegalArgumentException("mask set " + i + " has " + masks.get(i).batchSize()
                        + " rows but the video batch has " + rows + " (shape " + video.getShape() + ")");
            }
        }
    }

    /**
     * Number of samples B.
     *
     * @return number of samples B
     */
    public int size() {
        return (int) video.getShape().get(0);
    }
}
