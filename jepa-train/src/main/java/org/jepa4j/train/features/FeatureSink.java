package org.jepa4j.train.features;

import java.io.IOException;

/**
 * Receives what {@link FeatureExtractor#encode} produces, batch by batch, on the calling thread: the clips of every
 * readable sample and every sample skipped because its file could not be decoded. {@link FeatureExtractor#extract}
 * writes them as files; other engines (e.g. a Spark job) turn them into rows.
 */
public interface FeatureSink {

    /**
     * One clip of a readable sample; the clips of a sample arrive together, segment-major then view.
     *
     * @param clip the clip's features (its arrays are not reused by the extractor)
     * @throws IOException if the sink fails to store it (stops the extraction)
     */
    void clip(ClipFeatures clip) throws IOException;

    /**
     * A sample whose file could not be decoded (it has no clips).
     *
     * @param bad the sample's position in the source given to {@code encode}, its file and the reason
     * @throws IOException if the sink fails to store it (stops the extraction)
     */
    void skipped(BadFile bad) throws IOException;

    /**
     * Called after each batch's clips and skipped samples.
     *
     * @param samplesEncoded samples of the batch that were encoded
     * @param samplesSkipped samples of the batch that were skipped
     * @throws IOException if the sink fails (stops the extraction)
     */
    default void batchDone(int samplesEncoded, int samplesSkipped) throws IOException {
    }
}
