package org.jepa4j.examples.cli;

import com.google.gson.JsonElement;
import org.jepa4j.spark.bench.SparkExtractionBenchmark;

/**
 * {@code jepa4j bench --only spark_extract}: {@link SparkExtractionBenchmark} (kept out of {@link BenchCommand} so
 * that no other benchmark loads Spark's classes).
 */
final class SparkBench {

    private SparkBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param quick tiny sizes (figures show that it runs, not speed)
     * @return its figures as JSON
     * @throws Exception if it fails
     */
    static JsonElement run(boolean quick) throws Exception {
        return BenchCommand.toJson(SparkExtractionBenchmark.run(quick ? SparkExtractionBenchmark.Settings.quick()
                : SparkExtractionBenchmark.Settings.standard()));
    }
}
