package org.jepa4j.train;

import java.nio.file.Path;
import org.jepa4j.train.metrics.StepMetrics;
import org.jepa4j.train.step.StepResult;

/** Callbacks of a {@link Trainer} run, on the training thread. All methods do nothing by default. */
public interface TrainingListener {

    /**
     * After every optimizer step (also a skipped one).
     *
     * @param metrics what the step measured (collapse statistics NaN unless measured at this step)
     * @param result the step's losses, gradient norm and skip flag
     */
    default void onStep(StepMetrics metrics, StepResult result) {
    }

    /**
     * After a checkpoint was written.
     *
     * @param step the optimizer step it holds
     * @param directory the checkpoint directory
     */
    default void onCheckpoint(long step, Path directory) {
    }
}
