package org.jepa4j.train.optim;

/**
 * Warmup-stable-decay learning rate of V-JEPA 2-AC ({@code WSDSchedule} of facebookresearch/vjepa2
 * {@code src/utils/schedulers.py}): the n-th step (1-based) gets {@code start + n/warmup * (ref - start)} while
 * {@code n < warmup}, then {@code ref} while {@code n < total - anneal}, then
 * {@code ref + p * (final - ref)} with {@code p = (n - (total - anneal)) / anneal}. Past {@code total} the value
 * stays at {@code final} (the reference would keep going below it).
 */
public final class WsdSchedule extends StepSchedule {

    private final long warmupSteps;
    private final long annealSteps;
    private final long totalSteps;
    private final double startLr;
    private final double refLr;
    private final double finalLr;

    /**
     * Creates the schedule.
     *
     * @param warmupSteps linear warmup length, {@code (int)(warmup * ipe)}
     * @param annealSteps final linear decay length, {@code (int)(anneal * ipe)}
     * @param totalSteps schedule length, {@code epochs * ipe}
     * @param startLr value at step 0 of the warmup
     * @param refLr the stable value
     * @param finalLr the value at the end of the decay
     */
    public WsdSchedule(long warmupSteps, long annealSteps, long totalSteps, double startLr, double refLr,
            double finalLr) {
        if (warmupSteps < 0 || annealSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("need warmup >= 0, anneal >= 0, total >= 1 steps, got " + warmupSteps
                    + ", " + annealSteps + ", " + totalSteps);
        }
        this.warmupSteps = warmupSteps;
        this.annealSteps = annealSteps;
        this.totalSteps = totalSteps;
        this.startLr = startLr;
        this.refLr = refLr;
        this.finalLr = finalLr;
    }

    @Override
    public double valueAt(long n) {
        requireStep(n);
        if (n < warmupSteps) {
            return linearWarmup(n, warmupSteps, startLr, refLr);
        }
        long stableEnd = totalSteps - annealSteps; // = T_max + warmup in the reference's terms
        if (n < stableEnd) {
            return refLr;
        }
        double progress = Math.min(1.0, (double) (n - stableEnd) / Math.max(1, annealSteps));
        return refLr + progress * (finalLr - refLr);
    }
}
