/**
 * Frozen-feature extraction as an Apache Spark job, for sources that outgrow one machine.
 *
 * <ul>
 *   <li>{@link org.jepa4j.spark.SparkFeatureExtractor} (builder, {@code extract(spark, source, out)}): the
 *       samples become a Dataset of paths, dealt into partitions on the driver; each task runs the single-JVM extractor's decoding,
 *       batching and encoding ({@link org.jepa4j.train.features.FeatureExtractor#encode}) on its partition and
 *       writes Parquet rows ({@link org.jepa4j.spark.FeatureRows}) or the single-JVM file layout.</li>
 *   <li>{@link org.jepa4j.spark.EncoderSpec}: where executors find the encoder (a shared path or a file shipped
 *       with {@code spark-submit --files/--archives}); {@link org.jepa4j.spark.ExecutorEncoder}: the one encoder
 *       of each executor JVM, on the task's scheduled GPU when there is one.</li>
 *   <li>{@link org.jepa4j.spark.SparkSessions}: the session with jepa4j's defaults (speculation off; loopback
 *       driver and no UI in local mode).</li>
 * </ul>
 *
 * <p>The other jepa4j modules do not depend on Spark; the command line loads these classes only for
 * {@code jepa4j extract --engine spark}.
 */
package org.jepa4j.spark;
