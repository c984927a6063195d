package org.jepa4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.train.config.LoggingConfig;
import org.jepa4j.train.config.MetaConfig;
import org.jepa4j.train.config.OptimizationConfig;
import org.jepa4j.train.config.Precision;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.metrics.CollapseDiagnostics;
import org.jepa4j.train.metrics.CollapseStats;
import org.jepa4j.train.metrics.ConsoleProgress;
import org.jepa4j.train.metrics.MetricsLog;
import org.jepa4j.train.metrics.PlotHistory;
import org.jepa4j.train.metrics.StepMetrics.ScheduleValues;
import org.jepa4j.train.metrics.StepMetrics;
import org.jepa4j.train.metrics.TrainingPlots;
import org.jepa4j.train.optim.TrainingSchedules;
import org.jepa4j.train.precision.Upcast;
import org.jepa4j.train.run.Checkpoint;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.run.Checkpointer;
import org.jepa4j.train.run.RunDirectory;
import org.jepa4j.train.run.TrainingState;
import org.jepa4j.train.step.JepaModel;
import org.jepa4j.train.step.JepaStep;
import org.jepa4j.train.step.MicroBatch;
import org.jepa4j.train.step.StepResult;
import org.jepa4j.train.weights.InitialWeights;
import org.jepa4j.video.loader.Batch;
import org.jepa4j.video.loader.ClipLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Trainer#fit()}: the networks, step, schedules and checkpointer of the run, and its stages as methods
 * over a {@link RunProgress}: resume, data, step, NaN guard, metrics, checkpoint. {@link Trainer} builds the model,
 * step and loader and hands them here; this class owns none of them.
 */
final class TrainingSession {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final TrainConfig config;
    private final List<TrainingListener> listeners;
    private final LongPredicate corruptInputAt;
    private final BooleanSupplier stopRequested;
    private final RunDirectory runDir;
    private final JepaModel model;
    private final JepaStep step;
    private final long ipe;
    private final long totalSteps;
    private final int numSets;
    private final TrainingSchedules schedules;
    private final Checkpointer checkpointer;
    private final Path metricsFile;

    /**
     * A session over the given parts; {@code runDir}'s checkpointer and metrics file are opened here.
     *
     * @param config the run's configuration
     * @param listeners called after each step and checkpoint
     * @param corruptInputAt test hook: steps whose first clip is made NaN (null for none)
     * @param stopRequested whether a stop was requested (polled between steps)
     * @param runDir the run directory
     * @param model the networks
     * @param step the optimizer step
     * @param ipe iterations per epoch
     * @param numSets number of mask sets
     */
    TrainingSession(TrainConfig config, List<TrainingListener> listeners, LongPredicate corruptInputAt,
            BooleanSupplier stopRequested, RunDirectory runDir, JepaModel model, JepaStep step, long ipe, int numSets)
            throws IOException {
        this.config = config;
        this.listeners = listeners;
        this.corruptInputAt = corruptInputAt;
        this.stopRequested = stopRequested;
        this.runDir = runDir;
        this.model = model;
        this.step = step;
        this.ipe = ipe;
        this.numSets = numSets;
        this.totalSteps = config.optimization().trainingSteps(ipe);
        this.schedules = TrainingSchedules.fromConfig(config.optimization(), ipe);
        this.checkpointer = runDir.checkpointer(config.meta().keepLast());
        this.metricsFile = runDir.metricsFile(config.logging().metricsFormat());
    }

    /**
     * Total optimizer steps of the run.
     *
     * @return {@code epochs x ipe}
     */
    long totalSteps() {
        return totalSteps;
    }

    /** The run's own latest checkpoint (or {@code meta.read_checkpoint}), else {@code meta.init_from}. */
    RunProgress resumeOrInitialize() throws IOException {
        MetaConfig meta = config.meta();
        Optional<Checkpoint> resume = Optional.empty();
        if (meta.readCheckpoint() != null) {
            resume = Optional.of(checkpointer.load(runDir.root().resolve(meta.readCheckpoint()), model.manager()));
        } else if (meta.loadCheckpoint()) {
            resume = checkpointer.loadLatest(model.manager());
        }
        if (resume.isPresent()) {
            try (Checkpoint cp = resume.get()) {
                return resume(cp);
            }
        }
        if (meta.initFrom() != null) {
            InitialWeights init = InitialWeights.resolve(Path.of(meta.initFrom()));
            init.applyTo(model);
            step.broadcastWeights();
            LOG.info("Initialized encoder, predictor and target encoder from {} (meta.init_from {}); optimizer "
                    + "state, schedules and the step counter start fresh", init.description(), meta.initFrom());
        }
        return RunProgress.fresh();
    }

    private RunProgress resume(Checkpoint cp) {
        TrainingState s = cp.state();
        String savedIpe = s.extra().get(CheckpointLayout.IPE);
        if (savedIpe != null && Long.parseLong(savedIpe) != ipe) {
            LOG.warn("Checkpoint {} was written with ipe {} but this run has ipe {}; schedules follow the "
                    + "new value", cp.dir(), savedIpe, ipe);
        }
        model.load(cp);
        step.optimizer().loadState(cp.group(CheckpointLayout.OPTIMIZER));
        // The scale of an fp16-mixed run carries over; a checkpoint of another policy (scale 1, or of
        // an earlier version without the group) leaves the new run's initial scale in place.
        String savedPrecision = s.extra().get(CheckpointLayout.PRECISION);
        if (cp.groups().containsKey(CheckpointLayout.LOSS_SCALER)
                && Precision.FP16_MIXED.yamlName().equals(savedPrecision)) {
            step.lossScaler().loadState(cp.group(CheckpointLayout.LOSS_SCALER));
        }
        if (savedPrecision != null && !savedPrecision.equals(model.policy().precision().yamlName())) {
            LOG.info("Checkpoint {} was written under {}; resuming under {}", cp.dir(), savedPrecision,
                    model.policy());
        }
        step.broadcastWeights();
        schedules.restore(s.schedules());
        RunProgress p = RunProgress.resumed(s, cp.dir());
        LOG.info("Resumed from {} at step {} (data epoch {}, batch {})", cp.dir(), p.step, p.dataEpoch,
                p.dataBatch);
        if (config.meta().initFrom() != null) {
            LOG.info("The run's own checkpoint {} wins over meta.init_from {} (init_from only starts a "
                    + "fresh run)", cp.dir(), config.meta().initFrom());
        }
        return p;
    }

    /** Steps until {@code totalSteps} or a stop request, then makes sure the last step is checkpointed. */
    void train(RunProgress p, ClipLoader loader, NDArray collapseBatch) throws IOException {
        LoggingConfig log = config.logging();
        try (MetricsLog metrics = MetricsLog.open(metricsFile, numSets, p.step);
                DataStream data = new DataStream(loader, p.dataEpoch, p.dataBatch);
                ConsoleProgress bar = new ConsoleProgress("jepa4j " + config.model().variant(), totalSteps,
                        p.step, log.progressBar())) {
            PlotHistory history = new PlotHistory(); // bounded: a long run's plots do not grow memory
            history.addRowsOf(metricsFile); // the rows kept from a resumed run
            while (p.step < totalSteps && !stopRequested.getAsBoolean()) {
                int epoch = (int) (p.step / ipe);
                long t0 = System.nanoTime();
                List<Batch> batches = new ArrayList<>(config.optimization().gradAccumSteps());
                try {
                    long dataNanos = nextBatches(data, batches);
                    List<MicroBatch> micro = microBatches(batches, p.step + 1);
                    StepResult result = step(micro, epoch, p);
                    long stepNanos = System.nanoTime() - t0 - dataNanos;
                    guard(result, p);
                    StepMetrics m = metrics(result, epoch, stepNanos, dataNanos, micro, p, collapseBatch);
                    metrics.append(m);
                    history.add(m);
                    bar.update(p.step, result.loss(), m.clipsPerSec());
                    if (p.step % log.logFreq() == 0 || p.step == totalSteps) {
                        logStep(m, p.lastCollapse != null && m.hasCollapse(), model.policy().isMixed());
                    }
                    for (TrainingListener l : listeners) {
                        l.onStep(m, result);
                    }
                } finally {
                    batches.forEach(Batch::close);
                }
                checkpointIfDue(p, data, history);
            }
            if (!p.checkpointedAtCurrentStep && p.step > 0) {
                save(p, data);
                TrainingPlots.writeOrWarn(history, runDir.plotsDir());
            }
        }
    }

    /** ---- data ----: one batch per accumulation step into {@code batches}; returns the nanoseconds waited. */
    private long nextBatches(DataStream data, List<Batch> batches) {
        long dataNanos = 0;
        for (int k = 0; k < config.optimization().gradAccumSteps(); k++) {
            long w = System.nanoTime();
            Batch b = data.next();
            dataNanos += System.nanoTime() - w;
            batches.add(b);
        }
        return dataNanos;
    }

    private List<MicroBatch> microBatches(List<Batch> batches, long stepNumber) {
        List<MicroBatch> micro = new ArrayList<>(batches.size());
        for (Batch b : batches) {
            micro.add(new MicroBatch(b.video(), b.masks()));
        }
        if (corruptInputAt != null && corruptInputAt.test(stepNumber)) {
            try (NoGrad ignored = NoGrad.enter()) {
                micro.get(0).video().muli(Float.NaN); // test hook: a broken clip
            }
        }
        return micro;
    }

    /** ---- step ----: this step's schedule values, one optimizer step, the counter advanced. */
    private StepResult step(List<MicroBatch> micro, int epoch, RunProgress p) {
        OptimizationConfig opt = config.optimization();
        double lr = schedules.lr().step();
        double wd = schedules.wd().step();
        double momentum = schedules.momentum().step();
        boolean clip = opt.clipGrad() != null && (!opt.clipGradAfterWarmup() || epoch > opt.warmup());
        StepResult result = step.step(micro, lr, wd, momentum, clip);
        p.stepped(new ScheduleValues(lr, wd, momentum));
        return result;
    }

    /** ---- NaN and overflow guard ----: counts skipped steps; too many in a row end the run as diverged. */
    private void guard(StepResult result, RunProgress p) {
        if (result.overflow()) {
            p.overflowTotal++;
            int streak = step.lossScaler().consecutiveSkips();
            LOG.info("Step {}: float16 gradient overflow at loss scale {}; update skipped, scale now {} "
                    + "({} in a row, {} in total)", p.step, result.lossScale(),
                    step.lossScaler().scale(), streak, p.overflowTotal);
            if (streak >= Trainer.MAX_OVERFLOW_STREAK) {
                throw TrainingDivergedException.gradientOverflow(p.step, streak, step.lossScaler().scale(),
                        p.lastCheckpoint);
            }
            p.nanStreak = 0; // a finite loss
            p.finalLoss = result.loss();
        } else if (result.skipped()) {
            p.nanStreak++;
            p.nanTotal++;
            LOG.warn("Step {}: non-finite loss {} (grad norm {}); update skipped ({} in a row, {} in "
                    + "total, limit {})", p.step, result.loss(), result.gradNorm(), p.nanStreak,
                    p.nanTotal, config.meta().maxNanSteps());
            if (p.nanStreak >= config.meta().maxNanSteps()) {
                throw new TrainingDivergedException(p.step, p.nanStreak, p.lastCheckpoint);
            }
        } else {
            p.nanStreak = 0;
            p.finalLoss = result.loss();
        }
    }

    /** ---- metrics ----: the step's row, with collapse statistics when they are due. */
    private StepMetrics metrics(StepResult result, int epoch, long stepNanos, long dataNanos,
            List<MicroBatch> micro, RunProgress p, NDArray collapseBatch) {
        LoggingConfig log = config.logging();
        int rows = micro.stream().mapToInt(MicroBatch::size).sum();
        double seconds = (stepNanos + dataNanos) / 1e9;
        StepMetrics m = StepMetrics.measured(p.step, epoch, result, p.schedules, p.overflowTotal, stepNanos / 1e6,
                dataNanos / 1e6, rows / seconds);
        if (collapseBatch != null && (p.step % log.collapseFreq() == 0 || p.step == totalSteps)) {
            p.lastCollapse = collapse(model, collapseBatch);
            m = m.withCollapse(p.lastCollapse);
            CollapseDiagnostics.check(p.lastCollapse, log.collapseStdMin(), log.collapseRankMeMin());
        }
        return m;
    }

    /** ---- checkpoints and plots ----: on the configured steps and epochs, at the end and on a stop. */
    private void checkpointIfDue(RunProgress p, DataStream data, PlotHistory history) throws IOException {
        MetaConfig meta = config.meta();
        boolean epochEnd = p.step % ipe == 0;
        boolean due = (meta.checkpointEverySteps() > 0 && p.step % meta.checkpointEverySteps() == 0)
                || (epochEnd && (p.step / ipe) % meta.checkpointFreq() == 0)
                || p.step == totalSteps || stopRequested.getAsBoolean();
        if (due && p.nanStreak > 0 && !stopRequested.getAsBoolean() && p.step < totalSteps) {
            LOG.warn("Step {}: checkpoint deferred while the loss is not finite", p.step);
            due = false;
        }
        if (due) {
            save(p, data);
            TrainingPlots.writeOrWarn(history, runDir.plotsDir());
        } else if (config.logging().plotFreq() > 0 && p.step % config.logging().plotFreq() == 0) {
            TrainingPlots.writeOrWarn(history, runDir.plotsDir());
        }
    }

    private void save(RunProgress p, DataStream data) throws IOException {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(CheckpointLayout.DATA_EPOCH, Integer.toString(data.dataEpoch()));
        extra.put(CheckpointLayout.DATA_BATCH, Integer.toString(data.nextBatch()));
        extra.put(CheckpointLayout.IPE, Long.toString(ipe));
        extra.put(CheckpointLayout.OVERFLOW_STEPS, Long.toString(p.overflowTotal));
        extra.put(CheckpointLayout.PRECISION, model.policy().precision().yamlName());
        TrainingState state = new TrainingState(p.step, (int) (p.step / ipe), p.step % ipe,
                schedules.state(), Map.of(), p.nanStreak, p.nanTotal, step.lossScaler().scale(), extra);
        Map<String, Map<String, NDArray>> groups = new LinkedHashMap<>(model.checkpointGroups());
        try (NDScope scope = new NDScope()) {
            groups.put(CheckpointLayout.OPTIMIZER, step.optimizer().exportState());
            groups.put(CheckpointLayout.LOSS_SCALER, step.lossScaler().exportState(model.manager()));
            Path dir = checkpointer.save(state, groups);
            LOG.info("Checkpoint {} (step {})", dir, p.step);
            for (TrainingListener l : listeners) {
                l.onCheckpoint(p.step, dir);
            }
            p.checkpointed(dir);
        }
    }

    TrainingSummary summary(RunProgress p, long startNanos) {
        boolean early = p.step < totalSteps;
        if (early) {
            LOG.info("Stopped at step {} of {} on request; resume by running again with the same run directory",
                    p.step, totalSteps);
        }
        TrainingSummary summary = new TrainingSummary(p.step, totalSteps, p.resumedFrom, p.finalLoss, p.nanTotal,
                p.overflowTotal, early, p.lastCollapse, runDir.root(), p.lastCheckpoint, metricsFile,
                runDir.plotsDir(), (System.nanoTime() - startNanos) / 1e9);
        LOG.info("Training done: {} steps, final loss {}, checkpoint {}", p.step, p.finalLoss, p.lastCheckpoint);
        return summary;
    }

    /** Collapse statistics of mean-pooled target-encoder features of the fixed batch. */
    private static CollapseStats collapse(JepaModel model, NDArray batch) {
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            // [N, T, D] -> pooled inside, in float32 also for a float16 target encoder
            return CollapseDiagnostics.compute(Upcast.detached(model.targetEncoder().forward(batch)));
        }
    }

    private static void logStep(StepMetrics m, boolean withCollapse, boolean mixed) {
        StringBuilder sets = new StringBuilder();
        for (int i = 0; i < m.lossPerMaskSet().size(); i++) {
            sets.append(i == 0 ? "" : " ").append(String.format("%.4f", m.lossPerMaskSet().get(i)));
        }
        String collapse = withCollapse ? String.format(" | feat std %.3g rankme %.1f", m.featureStdMean(), m.rankMe())
                : "";
        String scale = mixed ? String.format(" | scale %.0f overflows %d", m.lossScale(), m.overflowSteps()) : "";
        LOG.info(String.format("step %d ep %d | loss %.4f [%s] | lr %.3g wd %.3g m %.5f | grad %.3g%s | step %.0f ms "
                + "data %.0f ms | %.1f clips/s%s", m.step(), m.epoch(), m.loss(), sets, m.lr(), m.wd(), m.momentum(),
                m.gradNorm(), scale, m.stepTimeMs(), m.dataTimeMs(), m.clipsPerSec(), collapse));
    }
}
