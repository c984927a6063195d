/**
 * Benchmarks of jepa4j, run by {@code jepa4j bench} or as main classes: the core models
 * ({@link org.jepa4j.examples.bench.EncoderBenchmark}, {@link org.jepa4j.examples.bench.BlockStackBenchmark}), the video
 * pipeline ({@link org.jepa4j.examples.bench.DecodeBenchmark}, against the {@code ffmpeg} command-line tool) and the
 * training loop ({@link org.jepa4j.examples.bench.TrainStepBenchmark},
 * {@link org.jepa4j.examples.bench.PrecisionBenchmark}, {@link org.jepa4j.examples.bench.MemorySoakBenchmark}) and the
 * Spark extraction job against the single-JVM extractor ({@link org.jepa4j.examples.bench.SparkExtractionBenchmark},
 * only when named: it starts Spark).
 * Each prints its figures next to a baseline measured in the same run. They live next to the command line, not in
 * the library jars, so the libraries carry only what users call.
 */
package org.jepa4j.examples.bench;
