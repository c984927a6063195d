package org.jepa4j.train.metrics;

/**
 * Collapse statistics of a batch of pooled features [N, D].
 *
 * @param samples N
 * @param dims D
 * @param stdMean mean over dimensions of the per-dimension standard deviation across samples
 * @param stdMin smallest per-dimension standard deviation
 * @param rankMe RankMe effective rank, in [1, min(N, D)] (0 for an all-zero matrix)
 */
public record CollapseStats(int samples, int dims, double stdMean, double stdMin, double rankMe) {
}
