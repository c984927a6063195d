package org.jepa4j.train;

import java.nio.file.Path;
import org.jepa4j.train.metrics.CollapseStats;

/**
 * The outcome of {@link Trainer#fit()}.
 *
 * @param steps optimizer steps completed (including those of a resumed run)
 * @param totalSteps steps the configuration asks for ({@code ipe x epochs})
 * @param resumedFromStep the step the run resumed from (0 for a fresh run)
 * @param finalLoss loss of the last step (NaN if no step ran)
 * @param skippedSteps steps skipped for a non-finite loss, over the whole run
 * @param overflowSteps steps skipped for a float16 gradient overflow (fp16-mixed), over the whole run
 * @param stoppedEarly true when {@link Trainer#requestStop()} (or a signal) ended the run before {@code totalSteps}
 * @param lastCollapse the last collapse statistics measured, or null
 * @param runDirectory the run folder
 * @param checkpoint the last checkpoint written (or resumed from), or null
 * @param metricsFile the per-step metrics file
 * @param plotsDirectory the folder of the PNG plots
 * @param seconds wall time of this call
 */
public record TrainingSummary(
        long steps,
        long totalSteps,
        long resumedFromStep,
        double finalLoss,
        long skippedSteps,
        long overflowSteps,
        boolean stoppedEarly,
        CollapseStats lastCollapse,
        Path runDirectory,
        Path checkpoint,
        Path metricsFile,
        Path plotsDirectory,
        double seconds) {
}
