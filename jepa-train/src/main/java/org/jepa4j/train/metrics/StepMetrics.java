package org.jepa4j.train.metrics;

import java.util.List;
import org.jepa4j.train.step.StepResult;

/**
 * What one training step reports. Values that were not measured at this step (e.g. collapse statistics,
 * computed only every few steps) are {@code NaN}.
 *
 * @param step optimizer step (1-based)
 * @param epoch epoch (0-based)
 * @param loss total loss
 * @param lossPerMaskSet loss of each mask set, in configuration order
 * @param lr learning rate used
 * @param wd weight decay used
 * @param momentum EMA momentum used
 * @param gradNorm global gradient norm before clipping (of the un-scaled gradients)
 * @param lossScale loss scale the step's gradients were computed with (1 unless fp16-mixed)
 * @param overflowSteps steps skipped for a float16 gradient overflow so far in the run (0 unless fp16-mixed)
 * @param stepTimeMs wall time of the step, data wait excluded
 * @param dataTimeMs time spent waiting for the batch
 * @param clipsPerSec clips processed per second of wall time
 * @param featureStdMean mean over dimensions of the per-dimension std of pooled target features
 * @param featureStdMin minimum over dimensions of that std
 * @param rankMe RankMe effective rank of the pooled features
 */
public record StepMetrics(
        long step,
        int epoch,
        double loss,
        List<Double> lossPerMaskSet,
        double lr,
        double wd,
        double momentum,
        double gradNorm,
        double lossScale,
        long overflowSteps,
        double stepTimeMs,
        double dataTimeMs,
        double clipsPerSec,
        double featureStdMean,
        double featureStdMin,
        double rankMe) {

    /** Copies the per-mask-set list. */
    public StepMetrics {
        lossPerMaskSet = List.copyOf(lossPerMaskSet);
    }

    /**
     * The metrics of a step as it was measured, without collapse statistics ({@link #withCollapse} adds them).
     *
     * @param step optimizer step (1-based)
     * @param epoch epoch (0-based)
     * @param result what the step did: loss, per-set losses, gradient norm, loss scale
     * @param schedules the learning rate, weight decay and EMA momentum used
     * @param overflowSteps float16 overflows so far in the run
     * @param stepTimeMs wall time of the step, data wait excluded
     * @param dataTimeMs time spent waiting for the batch
     * @param clipsPerSec clips processed per second of wall time
     * @return the metrics, collapse fields NaN
     */
    public static StepMetrics measured(long step, int epoch, StepResult result, ScheduleValues schedules,
            long overflowSteps, double stepTimeMs, double dataTimeMs, double clipsPerSec) {
        return new StepMetrics(step, epoch, result.loss(), result.lossPerMaskSet(), schedules.lr(), schedules.wd(),
                schedules.momentum(), result.gradNorm(), result.lossScale(), overflowSteps, stepTimeMs, dataTimeMs,
                clipsPerSec, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * The schedule values of one step.
     *
     * @param lr learning rate
     * @param wd weight decay
     * @param momentum EMA momentum
     */
    public record ScheduleValues(double lr, double wd, double momentum) {
    }

    /**
     * The same metrics with collapse statistics filled in.
     *
     * @param stats the collapse statistics measured at this step
     * @return a copy with {@code featureStdMean}, {@code featureStdMin} and {@code rankMe} set
     */
    public StepMetrics withCollapse(CollapseStats stats) {
        return new StepMetrics(step, epoch, loss, lossPerMaskSet, lr, wd, momentum, gradNorm, lossScale,
                overflowSteps, stepTimeMs, dataTimeMs, clipsPerSec, stats.stdMean(), stats.stdMin(), stats.rankMe());
    }

    /**
     * Whether collapse statistics were measured at this step.
     *
     * @return true when {@code rankMe} or {@code featureStdMean} is set
     */
    public boolean hasCollapse() {
        return !Double.isNaN(rankMe) || !Double.isNaN(featureStdMean);
    }
}
