package org.jepa4j.train.features;

/** Receives progress after every batch of an extraction (e.g. to drive a progress bar). */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (done, total, bad) -> { };

    /**
     * Called on the extracting thread after each batch.
     *
     * @param done samples (videos, images or input rows) handled so far, bad ones included
     * @param total samples in the run
     * @param bad samples skipped so far because their file could not be read
     */
    void onProgress(long done, long total, int bad);
}
