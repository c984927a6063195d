package org.jepa4j.train.features;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of {@link FeatureExtractor#extract}.
 *
 * @param samples samples in the source
 * @param samplesWritten samples whose clips were encoded and written by this run
 * @param samplesReused samples whose files were already complete in the output folder and were kept (resume)
 * @param clipsWritten clips (segments x views) written by this run
 * @param badFiles samples skipped because their file could not be read (not replaced by other samples)
 * @param index the index CSV written ({@link FeatureIndex})
 * @param seconds wall time of the run
 */
public record ExtractionReport(int samples, int samplesWritten, int samplesReused, int clipsWritten, List<BadFile> badFiles, Path index,
        double seconds) {

    /** Copies the list. */
    public ExtractionReport {
        badFiles = List.copyOf(badFiles);
    }

    /**
     * Returns the clips written per second.
     *
     * @return the clips written per second
     */
    public double clipsPerSecond() {
        return seconds > 0 ? clipsWritten / seconds : 0;
    }
}
