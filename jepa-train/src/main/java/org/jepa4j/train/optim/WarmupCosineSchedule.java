package org.jepa4j.train.optim;

/**
 * Learning rate: linear warmup from {@code startLr} to {@code refLr} over {@code warmupSteps}, then a cosine decay
 * to {@code finalLr} at {@code totalSteps} (V-JEPA 1, I-JEPA), a constant {@code refLr} (V-JEPA 2) or a linear
 * decay to {@code finalLr} (V-JEPA 2's cooldown). As in the reference, the n-th step (1-based) gets, for n below
 * the warmup, {@code start + n/warmup * (ref - start)}, and afterwards, with
 * {@code p = (n - warmup) / (total - warmup)}, {@code max(final, final + (ref - final) * 0.5 * (1 + cos(pi p)))}
 * (cosine) or {@code final + (ref - final) * (1 - p)} (linear). Past {@code totalSteps} the value stays at
 * {@code finalLr} (the reference's cosine would rise again).
 */
public final class WarmupCosineSchedule extends StepSchedule {

    private final long warmupSteps;
    private final double startLr;
    private final double refLr;
    private final double finalLr;
    private final long totalSteps;
    private final Decay decay;

    /** What follows the warmup. */
    public enum Decay {
        /** Cosine from {@code refLr} to {@code finalLr} (V-JEPA 1, I-JEPA). */
        COSINE,
        /** {@code refLr} for good (V-JEPA 2). */
        CONSTANT,
        /** Linear from {@code refLr} to {@code finalLr} (V-JEPA 2 cooldown). */
        LINEAR;

        /**
         * The decay named by a config value.
         *
         * @param name {@code cosine}, {@code constant} or {@code linear}
         * @return the decay
         * @throws IllegalArgumentException for another name
         */
        public static Decay of(String name) {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Creates the schedule.
     *
     * @param warmupSteps linear warmup length (0 for none)
     * @param startLr value at step 0 of the warmup
     * @param refLr peak value
     * @param finalLr value at {@code totalSteps} (cosine only)
     * @param totalSteps schedule length, {@code (long)(ipe_scale * epochs * ipe)}
     * @param constantAfterWarmup keep {@code refLr} after warmup instead of the cosine
     */
    public WarmupCosineSchedule(long warmupSteps, double startLr, double refLr, double finalLr, long totalSteps,
            boolean constantAfterWarmup) {
        this(warmupSteps, startLr, refLr, finalLr, totalSteps, constantAfterWarmup ? Decay.CONSTANT : Decay.COSINE);
    }

    /**
     * Creates the schedule.
     *
     * @param warmupSteps linear warmup length (0 for none)
     * @param startLr value at step 0 of the warmup
     * @param refLr peak value
     * @param finalLr value at {@code totalSteps} (cosine and linear)
     * @param totalSteps schedule length, {@code (long)(ipe_scale * epochs * ipe)}
     * @param decay what follows the warmup
     */
    public WarmupCosineSchedule(long warmupSteps, double startLr, double refLr, double finalLr, long totalSteps,
            Decay decay) {
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("need warmupSteps >= 0 and totalSteps >= 1, got " + warmupSteps
                    + " and " + totalSteps);
        }
        this.warmupSteps = warmupSteps;
        this.startLr = startLr;
        this.refLr = refLr;
        this.finalLr = finalLr;
        this.totalSteps = totalSteps;
        this.decay = java.util.Objects.requireNonNull(decay, "decay");
    }

    @Override
    public double valueAt(long n) {
        requireStep(n);
        if (n < warmupSteps) {
            return linearWarmup(n, warmupSteps, startLr, refLr);
        }
        double progress = Math.min(1.0, (double) (n - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return switch (decay) {
            case CONSTANT -> refLr;
            case LINEAR -> finalLr + (refLr - finalLr) * (1.0 - progress);
            case COSINE -> Math.max(finalLr, finalLr + (refLr - finalLr) * 0.5 * (1.0 + Math.cos(Math.PI * progress)));
        };
    }

    /**
     * Warmup length in steps.
     *
     * @return warmup length in steps
     */
    public long warmupSteps() {
        return warmupSteps;
    }

    /**
     * Schedule length in steps.
     *
     * @return schedule length in steps
     */
    public long totalSteps() {
        return totalSteps;
    }
}
