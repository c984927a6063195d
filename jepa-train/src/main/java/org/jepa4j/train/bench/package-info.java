/**
 * Benchmarks of the training loop ({@link org.jepa4j.train.bench.TrainStepBenchmark}): {@code main} classes that
 * print speed figures next to a baseline measured in the same run.
 */
package org.jepa4j.train.bench;
