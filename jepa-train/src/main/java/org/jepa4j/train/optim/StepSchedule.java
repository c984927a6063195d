package org.jepa4j.train.optim;

/**
 * A value that changes with the optimizer step, with the reference calling convention: {@link #step()} is
 * called once per training step and returns the value to use for that step. Its only state is the number
 * of calls so far, which {@link #stepCount()} exposes and {@link #restore(long)} sets, so a schedule is
 * checkpointed by storing one number.
 */
public abstract sealed class StepSchedule permits WarmupCosineSchedule, CosineWdSchedule, LinearMomentumSchedule,
        WsdSchedule {

    private long steps;

    StepSchedule() {
    }

    /**
     * The value for the n-th training step (1-based), a pure function of n.
     *
     * @param n the step number, >= 1
     * @return the scheduled value
     */
    public abstract double valueAt(long n);

    /**
     * Advances to the next training step and returns its value.
     *
     * @return advances to the next training step and returns its value
     */
    public final double step() {
        steps++;
        return valueAt(steps);
    }

    /**
     * The value of the most recent {@link #step()} (of step 1 before any call).
     *
     * @return the value of the most recent {@link #step()} (of step 1 before any call)
     */
    public final double current() {
        return valueAt(Math.max(1, steps));
    }

    /**
     * Number of {@link #step()} calls so far.
     *
     * @return number of {@link #step()} calls so far
     */
    public final long stepCount() {
        return steps;
    }

    /**
     * Sets the number of calls so far, as when resuming from a checkpoint.
     *
     * @param stepCount calls already made, >= 0
     */
    public final void restore(long stepCount) {
        if (stepCount < 0) {
            throw new IllegalArgumentException("step count must be >= 0, got " + stepCount);
        }
        steps = stepCount;
    }

    /**
     * The linear warm-up shared by the learning-rate schedules: {@code start + n / max(1, warmupSteps) * (ref -
     * start)} (valid for {@code n < warmupSteps}).
     */
    static double linearWarmup(long n, long warmupSteps, double start, double ref) {
        double progress = (double) n / Math.max(1, warmupSteps);
        return start + progress * (ref - start);
    }

    static void requireStep(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("steps are numbered from 1, got " + n);
        }
    }
}
