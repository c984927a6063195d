package org.jepa4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.train.config.ConfigException;
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
import org.jepa4j.train.precision.DynamicLossScaler;
import org.jepa4j.train.precision.PrecisionPolicy;
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
import org.jepa4j.video.mask.MaskGenerator;
import org.jepa4j.video.source.VideoSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretrains a JEPA model (V-JEPA on videos, I-JEPA on images) as a configuration describes: {@code epochs x ipe}
 * optimizer steps with the reference schedules, checkpoints, resume, metrics, plots and collapse diagnostics.
 *
 * <pre>{@code
 * TrainConfig cfg = TrainConfig.preset("vjepa_tiny", List.of("data.datasets=[videos/]"));
 * TrainingSummary s = Trainer.builder()
 *         .setConfig(cfg)
 *         .optRunDirectory(Path.of("runs/tiny"))      // default: logging.folder
 *         .optSource(VideoSource.fromFolder(Path.of("videos")))   // default: data.datasets
 *         .build()
 *         .installSignalHandlers()                   // Ctrl-C / SIGTERM: finish the step, checkpoint, return
 *         .fit();
 * System.out.println(s.steps() + " steps, loss " + s.finalLoss() + ", checkpoint " + s.checkpoint());
 * }</pre>
 *
 * <p><b>Run directory.</b> {@code config.yaml} (resolved configuration), {@code metrics.csv} (or {@code .jsonl}),
 * {@code checkpoints/step-N/} (encoder, target encoder, predictor, optimizer moments, schedules, step, data
 * position; the last {@code meta.keep_last} kept, plus a {@code latest} pointer) and {@code plots/*.png}.
 *
 * <p><b>Resume.</b> With {@code meta.load_checkpoint} (default) a run directory holding checkpoints resumes from
 * the latest one ({@code meta.read_checkpoint} picks another) and reproduces the uninterrupted run: the loader's
 * batches and masks are functions of (seed, data epoch, batch index), and the data position is checkpointed.
 *
 * <p><b>Initial weights.</b> {@code meta.init_from} starts a fresh run from other weights instead of random
 * initialization ({@link InitialWeights}: a jepa4j run or checkpoint, a Hugging Face V-JEPA 2 directory, a reference
 * {@code .pt}); optimizer state and step counter start fresh. A run directory that already holds checkpoints resumes
 * from them and ignores {@code init_from} (logged).
 *
 * <p><b>Stopping.</b> {@link #requestStop()} (thread-safe; also what SIGINT/SIGTERM do after
 * {@link #installSignalHandlers()}) lets the current step finish, writes a checkpoint and makes {@link #fit()} return
 * normally. A non-finite loss skips the update (logged and counted); after {@code meta.max_nan_steps} in a row
 * {@link #fit()} throws {@link TrainingDivergedException} without writing a checkpoint, so the last good one stays.
 * Under fp16-mixed a float16 gradient overflow of a finite loss also skips the update and halves the loss scale; such
 * steps are counted separately (metrics column {@code overflow_steps}, {@link TrainingSummary#overflowSteps()}) and
 * do not count as non-finite losses; only {@value #MAX_OVERFLOW_STREAK} overflows in a row (a scale divided by
 * 2^{@value #MAX_OVERFLOW_STREAK}: the gradients are non-finite at any scale) end the run as diverged.
 *
 * <p><b>Devices and precision.</b> {@code meta.device} ({@link Devices}); several GPUs train data parallel
 * ({@link JepaStep}). {@code meta.precision} ({@code auto}: fp16-mixed on a GPU, fp32 on the CPU) is resolved into a
 * {@link PrecisionPolicy} for the first device: fp16-mixed builds float16 compute networks with float32 masters and
 * a dynamic loss scale; tf32 sets {@value PrecisionPolicy#TF32_ENV} before the first matmul
 * ({@link PrecisionPolicy#prepareProcess()}; a launcher may export it instead). Checkpoints hold the float32 masters
 * and the loss scaler, so a run may resume under another precision.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Gradient overflows in a row after which the run counts as diverged. */
    static final int MAX_OVERFLOW_STREAK = 64;

    private final TrainConfig config;
    private final Path runRoot;
    private final VideoSource explicitSource;
    private final List<Device> devices;
    private final List<TrainingListener> listeners;
    private final LongPredicate corruptInputAt;
    private final Double initialLossScale;
    private volatile boolean stopRequested;

    private Trainer(Builder b) {
        this.config = b.config;
        this.runRoot = b.runDirectory != null ? b.runDirectory : Path.of(b.config.logging().folder());
        this.explicitSource = b.source;
        this.devices = b.devices;
        this.listeners = List.copyOf(b.listeners);
        this.corruptInputAt = b.corruptInputAt;
        this.initialLossScale = b.initialLossScale;
    }

    /**
     * A new builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Asks the run to stop after the current step: a checkpoint is written and {@link #fit()} returns normally.
     * Safe to call from any thread (e.g. a signal handler or a listener).
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Whether {@link #requestStop()} was called.
     *
     * @return whether {@link #requestStop()} was called
     */
    public boolean isStopRequested() {
        return stopRequested;
    }

    /**
     * Makes SIGINT (Ctrl-C) and SIGTERM call {@link #requestStop()} instead of killing the JVM; a second signal
     * exits at once (status 130). For command-line entry points; a library embedding the trainer may prefer to
     * call {@link #requestStop()} itself.
     *
     * @return this trainer
     */
    public Trainer installSignalHandlers() {
        StopSignals.install(this::requestStop);
        return this;
    }

    /**
     * Trains until {@code ipe x epochs} steps are done or a stop is requested.
     *
     * @return the summary (steps, final loss, checkpoint, metrics and plots paths)
     * @throws TrainingDivergedException after {@code meta.max_nan_steps} non-finite losses in a row
     * @throws ConfigException for a configuration that cannot be trained (names the key)
     * @throws UncheckedIOException if the run directory cannot be written
     */
    public TrainingSummary fit() {
        try {
            return run();
        } catch (IOException e) {
            throw new UncheckedIOException("training run in " + runRoot + " failed: " + e.getMessage(), e);
        }
    }

    private TrainingSummary run() throws IOException {
        long startNanos = System.nanoTime();
        MetaConfig meta = config.meta();
        OptimizationConfig opt = config.optimization();
        List<Device> devs = devices != null ? devices : Devices.resolve(meta.device());
        PrecisionPolicy policy = JepaModel.policyOf(config, devs.get(0));
        policy.prepareProcess(); // before the first matmul (TF32)
        RunDirectory runDir = RunDirectory.create(runRoot);
        runDir.writeConfig(config);
        VideoSource source = explicitSource != null ? explicitSource : TrainingData.source(config);
        MaskGenerator masks = TrainingData.maskGenerator(config);
        int numSets = masks.maskSetNames().size();

        try (ClipLoader loader = TrainingData.trainLoader(config, source, devs.size());
                JepaModel model = JepaModel.create(config, devs.get(0), meta.seed(), policy);
                JepaStep step = newStep(model, devs, numSets);
                NDManager fixed = NDManager.newBaseManager(devs.get(0))) {
            long ipe = opt.ipe() > 0 ? opt.ipe() : Math.max(1, loader.batchesPerEpoch() / opt.gradAccumSteps());
            Session run = new Session(runDir, model, step, ipe, numSets);
            RunProgress progress = run.resumeOrInitialize();
            LOG.info("Training {} ({}) on {} in {}: {} steps ({} epochs x {} ipe), {} samples, batch {} x {} device(s) x "
                    + "{} accumulation, {} mask sets; run directory {}", config.model().variant(),
                    model.encoder().config(), devs, policy, run.totalSteps, opt.epochs(), ipe, source.size(),
                    config.data().batchSize(), devs.size(), opt.gradAccumSteps(), numSets, runDir.root());
            NDArray collapseBatch = config.logging().collapseFreq() > 0 ? collapseBatch(source, fixed) : null;
            run.train(progress, loader, collapseBatch);
            return run.summary(progress, startNanos);
        }
    }

    /**
     * One {@link #fit()}: the networks, step, schedules and checkpointer of the run, and its stages as methods over
     * a {@link RunProgress}: resume, data, step, NaN guard, metrics, checkpoint.
     */
    private final class Session {
        private final RunDirectory runDir;
        private final JepaModel model;
        private final JepaStep step;
        private final long ipe;
        private final long totalSteps;
        private final int numSets;
        private final TrainingSchedules schedules;
        private final Checkpointer checkpointer;
        private final Path metricsFile;

        Session(RunDirectory runDir, JepaModel model, JepaStep step, long ipe, int numSets) throws IOException {
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
                while (p.step < totalSteps && !stopRequested) {
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
                if (streak >= MAX_OVERFLOW_STREAK) {
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
                    || p.step == totalSteps || stopRequested;
            if (due && p.nanStreak > 0 && !stopRequested && p.step < totalSteps) {
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
    }

    /** One fixed evaluation batch (center crops, no shuffle) for the collapse diagnostics, kept on the device. */
    private NDArray collapseBatch(VideoSource source, NDManager fixed) {
        int n = Math.min(64, source.size());
        try (ClipLoader eval = ClipLoader.builder().setSource(source).setBatchSize(n)
                .optSampling(TrainingData.sampling(config).withClipsPerVideo(1))
                .optTransform(TrainingData.evalTransform(config)).optImageMode(TrainingData.isImage(config))
                .optWorkers(1).optSeed(config.meta().seed()).optShuffle(false).build();
                Batch b = eval.epoch(0).next()) {
            // A real copy: the batch's CPU tensor aliases a direct buffer that dies with the batch.
            NDArray x = b.video().getDevice().equals(fixed.getDevice()) ? b.video().duplicate()
                    : b.video().toDevice(fixed.getDevice(), true);
            x.attach(fixed);
            return x;
        }
    }

    /** Collapse statistics of mean-pooled target-encoder features of the fixed batch. */
    private static CollapseStats collapse(JepaModel model, NDArray batch) {
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            // [N, T, D] -> pooled inside, in float32 also for a float16 target encoder
            return CollapseDiagnostics.compute(Upcast.detached(model.targetEncoder().forward(batch)));
        }
    }

    private JepaStep newStep(JepaModel model, List<Device> devs, int numSets) {
        JepaStep.Builder b = JepaStep.builder().setModel(model).optDevices(devs).optLoss(config.loss())
                .optOptimization(config.optimization())
                .optMaskTokenIndex(TrainingData.maskTokenIndex(config, numSets));
        if (initialLossScale != null && model.policy().isMixed()) {
            b.optLossScaler(DynamicLossScaler.builder().optInitScale(initialLossScale).build());
        }
        return b.build();
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

    /** Builder of {@link Trainer}: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private TrainConfig config;
        private Path runDirectory;
        private VideoSource source;
        private List<Device> devices;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private LongPredicate corruptInputAt;
        private Double initialLossScale;

        private Builder() {
        }

        /**
         * The training configuration (required).
         *
         * @param config the configuration
         * @return this builder
         */
        public Builder setConfig(TrainConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * The run folder (optional).
         *
         * @param runDirectory the folder, or null for the default {@code logging.folder}
         * @return this builder
         */
        public Builder optRunDirectory(Path runDirectory) {
            this.runDirectory = runDirectory;
            return this;
        }

        /**
         * The samples to train on (optional).
         *
         * @param source the samples, or null for the default {@code data.datasets}
         * @return this builder
         */
        public Builder optSource(VideoSource source) {
            this.source = source;
            return this;
        }

        /**
         * Old name of {@link #optRunDirectory(Path)} (the run folder has a default, so it is an {@code optX}).
         *
         * @param runDirectory the folder
         * @return this builder
         * @deprecated use {@link #optRunDirectory(Path)}
         */
        @Deprecated(forRemoval = true)
        public Builder setRunDirectory(Path runDirectory) {
            return optRunDirectory(runDirectory);
        }

        /**
         * Old name of {@link #optSource(VideoSource)} (the samples have a default, so it is an {@code optX}).
         *
         * @param source the samples
         * @return this builder
         * @deprecated use {@link #optSource(VideoSource)}
         */
        @Deprecated(forRemoval = true)
        public Builder setSource(VideoSource source) {
            return optSource(source);
        }

        /**
         * The devices (default: {@code meta.device}); several mean data-parallel replicas.
         *
         * @param devices the devices, or null for the default
         * @return this builder
         */
        public Builder optDevices(List<Device> devices) {
            this.devices = devices == null ? null : List.copyOf(devices);
            return this;
        }

        /**
         * Adds a listener called after each step and checkpoint.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Test hook: fills the input of the given (1-based) steps with NaN, as a broken clip would. */
        Builder corruptInputAt(LongPredicate steps) {
            this.corruptInputAt = steps;
            return this;
        }

        /**
         * The initial loss scale of fp16-mixed training (default 2^16, as {@code GradScaler}); ignored by other
         * policies and replaced by the checkpointed scale on resume.
         *
         * @param scale finite and > 0
         * @return this builder
         */
        public Builder optInitialLossScale(double scale) {
            if (!(scale > 0) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException("initial loss scale must be finite and > 0, got " + scale);
            }
            this.initialLossScale = scale;
            return this;
        }

        /**
         * Builds the trainer (nothing is loaded or written before {@link Trainer#fit()}).
         *
         * @return the trainer
         */
        public Trainer build() {
            if (config == null) {
                throw new IllegalArgumentException("Trainer: the configuration is required (setConfig)");
            }
            if (devices != null && devices.isEmpty()) {
                throw new IllegalArgumentException("Trainer: optDevices needs at least one device");
            }
            return new Trainer(this);
        }
    }
}
