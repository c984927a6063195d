package org.jepa4j.spark;

import java.util.List;
import org.jepa4j.train.features.BadFile;

/**
 * The outcome of {@link SparkFeatureExtractor#extract}.
 *
 * @param samples samples in the source
 * @param samplesKept samples already done in the output and skipped (resume)
 * @param samplesEncoded samples encoded by this run
 * @param clipsWritten clips (segments x views) written by this run
 * @param badFiles samples of this run whose file could not be decoded (an error row each in Parquet; listed in
 *     {@code bad_files.csv} in the file layout)
 * @param output the output (Parquet dataset or folder)
 * @param partitions Spark partitions (tasks) this run used, all waves together
 * @param waves Spark jobs this run committed (the Parquet layout commits every {@code commitEvery} samples)
 * @param seconds wall time, from the call to the last commit
 */
public record SparkExtractionReport(int samples, int samplesKept, long samplesEncoded, long clipsWritten,
        List<BadFile> badFiles, String output, int partitions, int waves, double seconds) {

    /** Copies the list. */
    public SparkExtractionReport {
        badFiles = List.copyOf(badFiles);
    }

    /**
     * The clips written per second.
     *
     * @return clips per second, 0 for an empty run
     */
    public double clipsPerSecond() {
        return seconds > 0 ? clipsWritten / seconds : 0;
    }
}
