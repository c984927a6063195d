package org.jepa4j.train.optim;

/**
 * EMA momentum of the target encoder: linear from {@code start} to {@code end}. As the reference generator
 * {@code ema[0] + i*(ema[1]-ema[0])/(ipe*epochs*ipe_scale)} for i = 0, 1, ..., the n-th step (1-based) gets
 * {@code start + (n-1) * (end - start) / length} where {@code length = ipe * epochs * ipe_scale} (not rounded);
 * after {@code floor(length) + 1} steps (where the reference generator ends) the value stays put.
 */
public final class LinearMomentumSchedule extends StepSchedule {

    private final double start;
    private final double end;
    private final double length;

    /**
     * Creates the schedule.
     *
     * @param start momentum of the first step
     * @param end momentum reached after {@code length} steps
     * @param length {@code ipe * epochs * ipe_scale}, > 0
     */
    public LinearMomentumSchedule(double start, double end, double length) {
        if (!(length > 0)) {
            throw new IllegalArgumentException("length must be > 0, got " + length);
        }
        this.start = start;
        this.end = end;
        this.length = length;
    }

    @Override
    public double valueAt(long n) {
        requireStep(n);
        long i = Math.min(n - 1, (long) length);
        return start + i * (end - start) / length;
    }
}
