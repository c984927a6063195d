/**
 * {@link org.jepa4j.spark.bench.SparkExtractionBenchmark}: clips per second of the Spark job in {@code local[N]}
 * against the single-JVM extractor on the same cores, and the SparkSession start-up cost
 * ({@code jepa4j bench --only spark_extract}).
 */
package org.jepa4j.spark.bench;
