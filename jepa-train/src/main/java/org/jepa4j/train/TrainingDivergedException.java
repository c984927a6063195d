package org.jepa4j.train;

import java.nio.file.Path;

/**
 * Training stopped because the loss was not finite for {@code meta.max_nan_steps} steps in a row (or, under
 * fp16-mixed, the gradients overflowed at every loss scale: {@link #gradientOverflow}). The checkpoints
 * on disk are those of the last good state; none was written after the problem began.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final transient Path lastCheckpoint;

    /**
     * Creates the exception.
     *
     * @param step the step at which training stopped
     * @param streak non-finite steps in a row
     * @param lastCheckpoint the last good checkpoint, or null if none was written
     */
    public TrainingDivergedException(long step, int streak, Path lastCheckpoint) {
        this("training diverged: the loss was NaN or infinite for " + streak + " steps in a row (up to step " + step
                + ", meta.max_nan_steps); last good checkpoint: " + (lastCheckpoint == null ? "none" : lastCheckpoint)
                + ". Try a lower optimization.lr, a smaller optimization.clip_grad, or check the data for broken files",
                step, lastCheckpoint);
    }

    private TrainingDivergedException(String message, long step, Path lastCheckpoint) {
        super(message);
        this.step = step;
        this.lastCheckpoint = lastCheckpoint;
    }

    /**
     * Training stopped because the float16 gradients overflowed at every loss scale tried: the loss was finite but
     * its gradients were not, {@code streak} steps in a row while the scale was halved each time.
     *
     * @param step the step at which training stopped
     * @param streak overflows in a row
     * @param scale the loss scale reached
     * @param lastCheckpoint the last good checkpoint, or null if none was written
     * @return the exception
     */
    public static TrainingDivergedException gradientOverflow(long step, int streak, double scale,
            Path lastCheckpoint) {
        return new TrainingDivergedException("training diverged: the float16 gradients overflowed " + streak
                + " steps in a row (up to step " + step + ") although the loss scale fell to " + scale
                + "; last good checkpoint: " + (lastCheckpoint == null ? "none" : lastCheckpoint)
                + ". The gradients are non-finite at any scale: try meta.precision fp32 to find the cause, a lower "
                + "optimization.lr, or check the data", step, lastCheckpoint);
    }

    /**
     * The step at which training stopped.
     *
     * @return the step at which training stopped
     */
    public long step() {
        return step;
    }

    /**
     * The last good checkpoint, or null.
     *
     * @return the last good checkpoint, or null
     */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }
}
