package org.jepa4j.video.loader;

import java.nio.file.Path;
import java.util.Map;

/**
 * A snapshot of a {@link ClipLoader}'s counters since it was built.
 *
 * @param samplesDecoded samples decoded and transformed successfully
 * @param badFiles distinct files found unreadable, with the reason (each was logged once at WARN)
 * @param badSkips times a sample was replaced (or, without replacement, left out of its batch) because its
 *     file was bad (a bad file can be drawn again)
 * @param batchesDelivered batches handed to the caller
 * @param waitNanos total time the caller spent blocked waiting for a batch
 * @param workNanos total worker time spent decoding and transforming (all workers)
 */
public record LoaderStats(long samplesDecoded, Map<Path, String> badFiles, long badSkips, long batchesDelivered,
        long waitNanos, long workNanos) {

    /** Copies the map. */
    public LoaderStats {
        badFiles = Map.copyOf(badFiles);
    }

    /**
     * Number of distinct bad files.
     *
     * @return number of distinct bad files
     */
    public int badFileCount() {
        return badFiles.size();
    }

    /**
     * Time spent waiting for data, in seconds.
     *
     * @return time spent waiting for data, in seconds
     */
    public double waitSeconds() {
        return waitNanos / 1e9;
    }

    @Override
    public String toString() {
        return String.format("LoaderStats[samples=%d, badFiles=%d, badSkips=%d, batches=%d, wait=%.3fs, work=%.3fs]",
                samplesDecoded, badFiles.size(), badSkips, batchesDelivered, waitNanos / 1e9, workNanos / 1e9);
    }
}
