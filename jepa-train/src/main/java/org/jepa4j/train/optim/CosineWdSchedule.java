package org.jepa4j.train.optim;

/**
 * Weight decay: cosine from {@code refWd} to {@code finalWd} over {@code totalSteps}, as the reference
 * {@code CosineWDSchedule}: step n (1-based) gets {@code final + (ref - final) * 0.5 * (1 + cos(pi * n / total))},
 * clamped so it never passes {@code finalWd}. Past {@code totalSteps} it stays at {@code finalWd} (the
 * reference cosine would turn back).
 */
public final class CosineWdSchedule extends StepSchedule {

    private final double refWd;
    private final double finalWd;
    private final long totalSteps;

    /**
     * Creates the schedule.
     *
     * @param refWd value at step 0
     * @param finalWd value at {@code totalSteps}
     * @param totalSteps schedule length, {@code (long)(ipe_scale * epochs * ipe)}
     */
    public CosineWdSchedule(double refWd, double finalWd, long totalSteps) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        this.refWd = refWd;
        this.finalWd = finalWd;
        this.totalSteps = totalSteps;
    }

    @Override
    public double valueAt(long n) {
        requireStep(n);
        double progress = Math.min(1.0, (double) n / totalSteps);
        double wd = finalWd + (refWd - finalWd) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
        return finalWd <= refWd ? Math.max(finalWd, wd) : Math.min(finalWd, wd);
    }
}
