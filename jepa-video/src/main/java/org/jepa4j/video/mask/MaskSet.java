package org.jepa4j.video.mask;

import java.util.Objects;

/**
 * One mask set for a batch: the token ids each sample keeps as context and the ids it must predict.
 *
 * <p>Token ids index the flattened token grid in time-major order ({@code t*H*W + h*W + w}). Every row
 * of {@code context} has the same length (the batch is truncated to its shortest context), likewise for
 * {@code target}, so both convert directly to int64 tensors of shape [B, Nc] and [B, Nt].
 *
 * @param context context token ids, [batch][contextLength]
 * @param target target token ids, [batch][targetLength]
 */
public record MaskSet(long[][] context, long[][] target) {

    /** Checks that both arrays are rectangular and have the same batch size. */
    public MaskSet {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(target, "target");
        if (context.length != target.length) {
            throw new IllegalArgumentException(
                    "context and target batch sizes differ: " + context.length + " vs " + target.length);
        }
        requireRectangular(context, "context");
        requireRectangular(target, "target");
    }

    /**
     * Number of samples in the batch.
     *
     * @return number of samples in the batch
     */
    public int batchSize() {
        return context.length;
    }

    /**
     * Context tokens per sample.
     *
     * @return context tokens per sample
     */
    public int contextLength() {
        return context.length == 0 ? 0 : context[0].length;
    }

    /**
     * Target tokens per sample.
     *
     * @return target tokens per sample
     */
    public int targetLength() {
        return target.length == 0 ? 0 : target[0].length;
    }

    private static void requireRectangular(long[][] ids, String what) {
        for (int i = 1; i < ids.length; i++) {
            if (ids[i].length != ids[0].length) {
                throw new IllegalArgumentException(
                        what + " rows differ in length: row 0 has " + ids[0].length + ", row " + i + " has " + ids[i].length);
            }
        }
    }
}
