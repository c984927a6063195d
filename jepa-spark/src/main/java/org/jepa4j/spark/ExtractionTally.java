package org.jepa4j.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * What the tasks of one run report back to the driver through Spark accumulators: samples encoded, clips written
 * and the unreadable files (applied once per successful task: the extraction runs in the result stage of the
 * write or collect).
 */
final class ExtractionTally implements Serializable {

    private static final long serialVersionUID = 1L;

    /** An unreadable file as it travels back to the driver. */
    record Bad(int sample, String path, String reason) implements Serializable {}

    final LongAccumulator samples;
    final LongAccumulator clips;
    final CollectionAccumulator<Bad> bad;

    ExtractionTally(SparkContext sc) {
        samples = sc.longAccumulator("jepa4j samples encoded");
        clips = sc.longAccumulator("jepa4j clips written");
        bad = sc.collectionAccumulator("jepa4j unreadable files");
    }
}
