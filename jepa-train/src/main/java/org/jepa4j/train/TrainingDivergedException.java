package org.jepa4j.train;

import java.nio.file.Path;

/**
 * Training stopped because the loss was not finite for {@code meta.max_nan_steps} steps in a row. The checkpoints
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
        super("training diverged: the loss was NaN or infinite for " + streak + " steps in a row (up to step " + step
                + ", meta.max_nan_steps); last good checkpoint: " + (lastCheckpoint == null ? "none" : lastCheckpoint)
                + ". Try a lower optimization.lr, a smaller optimization.clip_grad, or check the data for broken files");
        this.step = step;
        this.lastCheckpoint = lastCheckpoint;
    }

    /** The step at which training stopped. */
    public long step() {
        return step;
    }

    /** The last good checkpoint, or null. */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }
}
