package org.jepa4j.train;

import org.jepa4j.video.loader.Batch;
import org.jepa4j.video.loader.ClipLoader;
import org.jepa4j.video.loader.EpochIterator;

/**
 * An endless stream of training batches over a {@link ClipLoader}: data epoch after data epoch, independent of
 * the training epochs (whose length is {@code ipe}). Its position (data epoch, next batch) is saved in
 * checkpoints; a stream reopened at that position hands out exactly the batches (clips and masks) the
 * uninterrupted run would have.
 */
final class DataStream implements AutoCloseable {

    private final ClipLoader loader;
    private int dataEpoch;
    private int nextBatch;
    private EpochIterator iterator;

    DataStream(ClipLoader loader, int dataEpoch, int nextBatch) {
        if (loader.batchesPerEpoch() < 1) {
            throw new IllegalArgumentException("the loader yields no batch per epoch (" + loader.source().size()
                    + " samples)");
        }
        this.loader = loader;
        this.dataEpoch = dataEpoch;
        this.nextBatch = nextBatch;
    }

    /** Waits for and returns the next batch (the caller closes it). */
    Batch next() {
        if (iterator == null) {
            iterator = loader.epoch(dataEpoch, Math.min(nextBatch, loader.batchesPerEpoch()));
        }
        while (!iterator.hasNext()) {
            dataEpoch++;
            nextBatch = 0;
            iterator = loader.epoch(dataEpoch, 0);
        }
        Batch b = iterator.next();
        nextBatch = b.index() + 1;
        return b;
    }

    /** Data epoch of the next batch (before wrapping). */
    int dataEpoch() {
        return dataEpoch;
    }

    /** Index of the next batch within {@link #dataEpoch()}. */
    int nextBatch() {
        return nextBatch;
    }

    @Override
    public void close() {
        if (iterator != null) {
            iterator.close();
        }
    }
}
