package org.jepa4j.train;

import java.nio.file.Path;
import org.jepa4j.train.metrics.CollapseStats;
import org.jepa4j.train.metrics.StepMetrics.ScheduleValues;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.run.TrainingState;

/**
 * Where a training run stands, as the {@link Trainer}'s loop updates it step by step: the counters a checkpoint
 * saves and a resume restores, and what the summary reports. Mutable, confined to the training thread.
 */
final class RunProgress {

    /** Optimizer steps completed. */
    long step;
    /** The step the run resumed from (0 for a fresh run). */
    long resumedFrom;
    /** Data epoch and batch index the data stream starts at. */
    int dataEpoch;
    int dataBatch;
    /** Non-finite losses in a row, and in total. */
    int nanStreak;
    long nanTotal;
    /** Float16 gradient overflows skipped so far. */
    long overflowTotal;
    /** The schedule values of the last step. */
    ScheduleValues schedules;
    /** Loss of the last step with a finite loss. */
    double finalLoss = Double.NaN;
    /** The latest collapse statistics, or null. */
    CollapseStats lastCollapse;
    /** The latest checkpoint written or resumed from, or null. */
    Path lastCheckpoint;
    /** Whether the current step is already in a checkpoint. */
    boolean checkpointedAtCurrentStep;

    private RunProgress() {
    }

    /** A run from step 0. */
    static RunProgress fresh() {
        return new RunProgress();
    }

    /** A run resumed from the checkpoint {@code dir} holding {@code s}. */
    static RunProgress resumed(TrainingState s, Path dir) {
        RunProgress p = new RunProgress();
        p.step = s.step();
        p.resumedFrom = s.step();
        p.dataEpoch = Integer.parseInt(s.extra().getOrDefault(CheckpointLayout.DATA_EPOCH, "0"));
        p.dataBatch = Integer.parseInt(s.extra().getOrDefault(CheckpointLayout.DATA_BATCH, "0"));
        p.nanStreak = s.nanStreak();
        p.nanTotal = s.nanTotal();
        p.overflowTotal = Long.parseLong(s.extra().getOrDefault(CheckpointLayout.OVERFLOW_STEPS, "0"));
        p.lastCheckpoint = dir;
        p.checkpointedAtCurrentStep = true;
        return p;
    }

    /** One optimizer step done with these schedule values. */
    void stepped(ScheduleValues values) {
        step++;
        schedules = values;
        checkpointedAtCurrentStep = false;
    }

    /** The current step was written to {@code dir}. */
    void checkpointed(Path dir) {
        lastCheckpoint = dir;
        checkpointedAtCurrentStep = true;
    }
}
