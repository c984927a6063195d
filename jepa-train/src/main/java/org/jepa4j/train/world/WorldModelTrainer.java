package org.jepa4j.train.world;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.jepa4j.core.io.AtomicFiles;
import org.jepa4j.core.model.StateDict;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.core.world.AcPredictorConfig;
import org.jepa4j.core.world.ActionConditionedPredictor;
import org.jepa4j.train.Devices;
import org.jepa4j.train.StopSignals;
import org.jepa4j.train.TrainingDivergedException;
import org.jepa4j.train.metrics.ConsoleProgress;
import org.jepa4j.train.metrics.MetricsLog;
import org.jepa4j.train.metrics.PlotHistory;
import org.jepa4j.train.metrics.StepMetrics;
import org.jepa4j.train.metrics.TrainingPlots;
import org.jepa4j.train.optim.AdamW;
import org.jepa4j.train.optim.CosineWdSchedule;
import org.jepa4j.train.optim.WsdSchedule;
import org.jepa4j.train.run.Checkpoint;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.run.Checkpointer;
import org.jepa4j.train.run.RunDirectory;
import org.jepa4j.train.run.TrainingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an action-conditioned predictor on a frozen encoder's features of an {@link EpisodeDataset}, as
 * {@code app/vjepa_droid/train.py} does ({@link WorldModelStep}: teacher forcing + rollout), writing a run directory
 * with the project's machinery:
 * <pre>
 *   RUN/config.yaml            the resolved {@link WorldTrainConfig} (meta.encoder and meta.data absolute)
 *   RUN/predictor.json         the predictor's configuration (reference names)
 *   RUN/metrics.csv|jsonl      one row per step: loss, loss_teacher_forcing, loss_rollout, lr, wd, ...
 *   RUN/checkpoints/step-N/    predictor, AdamW moments, schedules (atomic, CRC-checked, last meta.keep_last kept)
 *   RUN/plots/*.png            loss (both parts) and schedules
 *   RUN/feature_cache/         with meta.feature_cache = run: the encoder's tokens per episode
 * </pre>
 * Running again with the same run directory resumes from the latest checkpoint and reproduces the uninterrupted run
 * (batches are a function of the seed and the step). {@link #requestStop()} (SIGINT/SIGTERM after
 * {@link #installSignalHandlers()}) finishes the step, checkpoints and returns. A non-finite loss skips the update;
 * {@code meta.max_nan_steps} of them in a row end the run with {@link TrainingDivergedException}.
 */
public final class WorldModelTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(WorldModelTrainer.class);

    /** File of the predictor configuration in a run directory. */
    public static final String PREDICTOR_CONFIG = "predictor.json";
    /** Checkpoint group of the predictor. */
    public static final String PREDICTOR = CheckpointLayout.PREDICTOR;
    /** The metrics file's per-part loss columns: teacher forcing, then rollout. */
    public static final List<String> LOSS_COLUMNS = List.of("loss_teacher_forcing", "loss_rollout");
    /** The loss plot's legend labels of the two parts. */
    public static final List<String> LOSS_LABELS = List.of("teacher forcing", "rollout");

    private final WorldTrainConfig config;
    private final Path data;
    private final Path encoderPath;
    private final FrameEncoder explicitEncoder;
    private final Path runRoot;
    private final java.util.function.Consumer<StepMetrics> listener;
    private final LongPredicate corruptInputAt;
    private volatile boolean stopRequested;

    private WorldModelTrainer(Builder b) {
        this.data = b.data.toAbsolutePath();
        this.encoderPath = b.encoder != null ? b.encoder.toAbsolutePath() : null;
        this.explicitEncoder = b.frameEncoder;
        this.runRoot = b.runDirectory.toAbsolutePath();
        this.listener = b.listener;
        this.corruptInputAt = b.corruptInputAt;
        String enc = encoderPath != null ? encoderPath.toString() : b.frameEncoder.source();
        this.config = b.config.with("meta.data", data.toString()).with("meta.encoder", enc);
    }

    /**
     * A new builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Asks the run to stop after the current step (thread-safe). */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * SIGINT/SIGTERM call {@link #requestStop()}; a second signal exits at once.
     *
     * @return this trainer
     */
    public WorldModelTrainer installSignalHandlers() {
        StopSignals.install(this::requestStop);
        return this;
    }

    /**
     * What a run did.
     *
     * @param steps steps completed
     * @param totalSteps steps of the schedule
     * @param resumedFrom step the run resumed from (0 for a fresh run)
     * @param finalLoss last finite total loss
     * @param finalTeacherForcing its teacher-forcing part
     * @param finalRollout its rollout part
     * @param nanSteps non-finite losses skipped
     * @param runDirectory the run folder
     * @param checkpoint the last checkpoint, or null
     * @param skippedEpisodes episodes shorter than a clip (name to reason)
     * @param cacheSeconds time spent filling the feature cache (0 without one or when it was full)
     * @param trainSeconds time spent in training steps
     */
    public record Summary(long steps, long totalSteps, long resumedFrom, double finalLoss, double finalTeacherForcing,
            double finalRollout, long nanSteps, Path runDirectory, Path checkpoint, Map<String, String> skippedEpisodes,
            double cacheSeconds, double trainSeconds) {
    }

    /**
     * Trains until the schedule's steps are done or a stop is requested.
     *
     * @return the summary
     * @throws UncheckedIOException if the run directory cannot be written or the data read
     * @throws EpisodeException naming the episode whose data are bad
     */
    public Summary fit() {
        try {
            return run();
        } catch (IOException e) {
            throw new UncheckedIOException("world-model run in " + runRoot + " failed: " + e.getMessage(), e);
        }
    }

    private Summary run() throws IOException {
        RunDirectory runDir = RunDirectory.create(runRoot);
        config.write(runDir.configFile());
        Device device = Devices.resolve(config.device()).get(0);
        FrameEncoder encoder = explicitEncoder != null ? explicitEncoder : FrameEncoder.load(encoderPath, device);
        try (FrameReader reader = new FrameReader(encoder.imageSize());
                NDManager manager = NDManager.newBaseManager(encoder.device())) {
            EpisodeDataset episodes = EpisodeDataset.open(data, config.clipFrames(), config.frameStep(), 0);
            if (episodes.stateDim() != episodes.actionDim()) {
                throw new EpisodeException(episodes.episodes().get(0).dir(), "states.csv has " + episodes.stateDim()
                        + " columns but actions.csv " + episodes.actionDim() + "; the predictor's state and action "
                        + "encoders take the same dimension (pad the shorter one with zeros)");
            }
            AcPredictorConfig pc = config.predictorConfig(encoder.imageSize(), encoder.patchSize(), encoder.width(),
                    episodes.actionDim());
            AtomicFiles.writeString(runDir.root().resolve(PREDICTOR_CONFIG), pc.toJson());
            double cacheSeconds = 0;
            FeatureCache cache = null;
            if (!config.featureCache().isEmpty()) {
                Path dir = config.featureCache().equals("run") ? runDir.root().resolve("feature_cache")
                        : Path.of(config.featureCache());
                cache = new FeatureCache(dir, 2L << 30);
                long t0 = System.nanoTime();
                int encoded = 0;
                long framesEncoded = 0;
                try (ConsoleProgress bar = new ConsoleProgress("jepa4j world: feature cache (episodes)",
                        episodes.episodes().size(), 0, config.progressBar())) {
                    int i = 0;
                    for (Episode e : episodes.episodes()) {
                        if (cache.ensure(e, reader, encoder, config.encodeBatch())) {
                            encoded++;
                            framesEncoded += e.frames();
                        }
                        i++;
                        bar.update(i, cacheProgress(encoded, i - encoded, framesEncoded, System.nanoTime() - t0));
                    }
                }
                cacheSeconds = (System.nanoTime() - t0) / 1e9;
                LOG.info("Feature cache {}: {} of {} episodes encoded now ({} s)", dir, encoded,
                        episodes.episodes().size(), String.format("%.1f", cacheSeconds));
            }
            ClipBatches batches = new ClipBatches(episodes, reader, encoder, cache, config.batchSize(), config.seed(),
                    config.encodeBatch());
            ActionConditionedPredictor predictor = new ActionConditionedPredictor(pc, manager, config.seed());
            long ipe = config.ipe() > 0 ? config.ipe() : Math.max(1, episodes.clipCount() / config.batchSize());
            long total = ipe * config.epochs();
            WsdSchedule lr = new WsdSchedule((long) (config.warmup() * ipe), (long) (config.anneal() * ipe), total,
                    config.startLr(), config.lr(), config.finalLr());
            CosineWdSchedule wd = new CosineWdSchedule(config.weightDecay(), config.finalWeightDecay(), total);
            try (AdamW optimizer = AdamW.builder().optBetas(config.beta1(), config.beta2()).optEps(config.eps())
                    .build(predictor.trainableParameters())) {
                WorldModelStep step = new WorldModelStep(predictor, optimizer, config.autoSteps(), config.lossExp(),
                        config.normalizeReps());
                return loop(runDir, episodes, batches, predictor, optimizer, step, lr, wd, ipe, total, cacheSeconds,
                        manager);
            }
        } finally {
            if (explicitEncoder == null) {
                encoder.close();
            }
        }
    }

    private Summary loop(RunDirectory runDir, EpisodeDataset episodes, ClipBatches batches,
            ActionConditionedPredictor predictor, AdamW optimizer, WorldModelStep step, WsdSchedule lr,
            CosineWdSchedule wd, long ipe, long total, double cacheSeconds, NDManager manager) throws IOException {
        Checkpointer checkpointer = runDir.checkpointer(config.keepLast());
        long stepCount = 0;
        int nanStreak = 0;
        long nanTotal = 0;
        Path lastCheckpoint = null;
        Optional<Checkpoint> resume = checkpointer.loadLatest(manager);
        if (resume.isPresent()) {
            try (Checkpoint cp = resume.get()) {
                StateDict.load(predictor, cp.group(PREDICTOR), cp.dir().toString());
                optimizer.loadState(cp.group(CheckpointLayout.OPTIMIZER));
                lr.restore(cp.state().schedules().getOrDefault("lr", cp.state().step()));
                wd.restore(cp.state().schedules().getOrDefault("wd", cp.state().step()));
                stepCount = cp.state().step();
                nanStreak = cp.state().nanStreak();
                nanTotal = cp.state().nanTotal();
                lastCheckpoint = cp.dir();
                LOG.info("Resumed world-model training from {} at step {}", cp.dir(), stepCount);
            }
        }
        long resumedFrom = stepCount;
        LOG.info("World model: {} episodes ({} clips of {} frames, step {}; {} skipped), predictor {}, encoder {}; "
                + "{} steps ({} epochs x {} ipe), batch {}, run directory {}", episodes.episodes().size(),
                episodes.clipCount(), config.clipFrames(), config.frameStep(), episodes.skipped().size(),
                predictor.config().toMap(), config.encoder(), total, config.epochs(), ipe, config.batchSize(),
                runDir.root());
        Path metricsFile = runDir.metricsFile(config.metricsFormat());
        double finalLoss = Double.NaN;
        double finalTf = Double.NaN;
        double finalAr = Double.NaN;
        double trainSeconds = 0;
        boolean checkpointed = resume.isPresent();
        PlotHistory history = new PlotHistory(LOSS_LABELS);
        try (MetricsLog metrics = MetricsLog.open(metricsFile, LOSS_COLUMNS, stepCount);
                ConsoleProgress progress = new ConsoleProgress("jepa4j world train", total, stepCount,
                        config.progressBar())) {
            history.addRowsOf(metricsFile);
            while (stepCount < total && !stopRequested) {
                long next = stepCount + 1;
                double l = lr.step();
                double w = wd.step();
                long t0 = System.nanoTime();
                WorldModelStep.Result r;
                long dataNanos;
                try (NDManager sub = manager.newSubManager(); NDScope scope = new NDScope()) {
                    ClipBatches.Batch b = batches.batch(next, sub);
                    if (corruptInputAt != null && corruptInputAt.test(next)) {
                        try (NoGrad ignored = NoGrad.enter()) {
                            b.tokens().muli(Float.NaN); // test hook: a broken episode's features
                        }
                    }
                    dataNanos = System.nanoTime() - t0;
                    // data.use_states false: zero states, the predictor reads the agent's state from the frames
                    NDArray states = config.useStates() ? b.states() : b.states().zerosLike(); // [B, T, A]
                    r = step.step(b.tokens(), b.actions(), states, l, w);
                }
                long nanos = System.nanoTime() - t0;
                trainSeconds += nanos / 1e9;
                stepCount = next;
                checkpointed = false;
                if (r.skipped()) {
                    nanStreak++;
                    nanTotal++;
                    LOG.warn("Step {}: non-finite loss {}; update skipped ({} in a row, limit {})", stepCount, r.loss(),
                            nanStreak, config.maxNanSteps());
                    if (nanStreak >= config.maxNanSteps()) {
                        throw new TrainingDivergedException(stepCount, nanStreak, lastCheckpoint);
                    }
                } else {
                    nanStreak = 0;
                    finalLoss = r.loss();
                    finalTf = r.teacherForcing();
                    finalAr = r.rollout();
                }
                int epoch = (int) ((stepCount - 1) / ipe);
                StepMetrics m = new StepMetrics(stepCount, epoch, r.loss(), List.of(r.teacherForcing(), r.rollout()),
                        l, w, Double.NaN, r.gradNorm(), 1.0, 0, (nanos - dataNanos) / 1e6, dataNanos / 1e6,
                        config.batchSize() / (nanos / 1e9), Double.NaN, Double.NaN, Double.NaN);
                metrics.append(m);
                history.add(m);
                progress.update(stepCount, r.loss(), m.clipsPerSec());
                if (listener != null) {
                    listener.accept(m);
                }
                if (stepCount % config.logFreq() == 0 || stepCount == total) {
                    LOG.info(String.format("step %d ep %d | loss %.4f (teacher forcing %.4f, rollout %.4f) | lr %.3g "
                            + "wd %.3g | grad %.3g | %.0f ms", stepCount, epoch, r.loss(), r.teacherForcing(),
                            r.rollout(), l, w, r.gradNorm(), nanos / 1e6));
                }
                boolean due = (config.checkpointEverySteps() > 0 && stepCount % config.checkpointEverySteps() == 0)
                        || (config.checkpointEverySteps() <= 0 && stepCount % ipe == 0) || stepCount == total
                        || stopRequested;
                if (due && nanStreak == 0) {
                    lastCheckpoint = save(checkpointer, predictor, optimizer, lr, wd, stepCount, ipe, nanStreak,
                            nanTotal);
                    checkpointed = true;
                    TrainingPlots.writeOrWarn(history, runDir.plotsDir());
                } else if (config.plotFreq() > 0 && stepCount % config.plotFreq() == 0) {
                    TrainingPlots.writeOrWarn(history, runDir.plotsDir());
                }
            }
            if (!checkpointed && stepCount > 0) {
                lastCheckpoint = save(checkpointer, predictor, optimizer, lr, wd, stepCount, ipe, nanStreak, nanTotal);
                TrainingPlots.writeOrWarn(history, runDir.plotsDir());
            }
        }
        if (stepCount < total) {
            LOG.info("Stopped at step {} of {}; run again with the same run directory to resume", stepCount, total);
        }
        return new Summary(stepCount, total, resumedFrom, finalLoss, finalTf, finalAr, nanTotal, runDir.root(),
                lastCheckpoint, episodes.skipped(), cacheSeconds, trainSeconds);
    }

    /** The feature-cache bar's message: episodes encoded now and found cached, and the encoding speed. */
    static String cacheProgress(int encoded, int cached, long framesEncoded, long nanos) {
        return String.format("%d encoded, %d cached | %.1f frames/s", encoded, cached,
                nanos > 0 ? framesEncoded / (nanos / 1e9) : 0.0);
    }

    private static Path save(Checkpointer checkpointer, ActionConditionedPredictor predictor, AdamW optimizer,
            WsdSchedule lr, CosineWdSchedule wd, long step, long ipe, int nanStreak, long nanTotal) throws IOException {
        Map<String, Long> schedules = new LinkedHashMap<>();
        schedules.put("lr", lr.stepCount());
        schedules.put("wd", wd.stepCount());
        TrainingState state = new TrainingState(step, (int) (step / ipe), step % ipe, schedules, Map.of(), nanStreak,
                nanTotal, null, Map.of());
        Map<String, Map<String, NDArray>> groups = new LinkedHashMap<>();
        groups.put(PREDICTOR, predictor.parameters());
        try (NDScope scope = new NDScope()) {
            groups.put(CheckpointLayout.OPTIMIZER, optimizer.exportState());
            Path dir = checkpointer.save(state, groups);
            LOG.info("Checkpoint {} (step {})", dir, step);
            return dir;
        }
    }

    /**
     * Reads a run's predictor configuration.
     *
     * @param run the run directory
     * @return the configuration
     * @throws IOException if the file cannot be read
     */
    static AcPredictorConfig predictorConfig(Path run) throws IOException {
        Path f = run.resolve(PREDICTOR_CONFIG);
        if (!Files.isRegularFile(f)) {
            throw new java.nio.file.NoSuchFileException(f.toString(), null, "not a world-model run directory");
        }
        return AcPredictorConfig.fromJson(Files.readString(f, StandardCharsets.UTF_8), f.toString());
    }

    /** Builder of {@link WorldModelTrainer}: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private WorldTrainConfig config = WorldTrainConfig.defaultConfig();
        private Path data;
        private Path encoder;
        private FrameEncoder frameEncoder;
        private Path runDirectory;
        private java.util.function.Consumer<StepMetrics> listener;
        private LongPredicate corruptInputAt;

        private Builder() {
        }

        /** Test hook: fills the encoder features of the given (1-based) steps with NaN, as a broken episode would. */
        Builder corruptInputAt(LongPredicate steps) {
            this.corruptInputAt = steps;
            return this;
        }

        /**
         * Called after every step with its metrics (on the training thread).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder optListener(java.util.function.Consumer<StepMetrics> listener) {
            this.listener = listener;
            return this;
        }

        /**
         * The episode folder (required).
         *
         * @param data the data
         * @return this builder
         */
        public Builder setData(Path data) {
            this.data = Objects.requireNonNull(data, "data");
            return this;
        }

        /**
         * The frozen encoder: a jepa4j run or a Hugging Face V-JEPA 2 directory (this or {@link #setFrameEncoder}).
         *
         * @param encoder the encoder
         * @return this builder
         */
        public Builder setEncoder(Path encoder) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
            return this;
        }

        /**
         * An already loaded frame encoder (not closed by the trainer).
         *
         * @param frameEncoder the frameEncoder
         * @return this builder
         */
        public Builder setFrameEncoder(FrameEncoder frameEncoder) {
            this.frameEncoder = Objects.requireNonNull(frameEncoder, "frameEncoder");
            return this;
        }

        /**
         * The run folder (required).
         *
         * @param runDirectory the runDirectory
         * @return this builder
         */
        public Builder setRunDirectory(Path runDirectory) {
            this.runDirectory = Objects.requireNonNull(runDirectory, "runDirectory");
            return this;
        }

        /**
         * The training configuration (default {@link WorldTrainConfig#defaultConfig()}).
         *
         * @param config the config
         * @return this builder
         */
        public Builder optConfig(WorldTrainConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Builds the trainer (nothing is read or written before {@link WorldModelTrainer#fit()}).
         *
         * @return the trainer
         */
        public WorldModelTrainer build() {
            if (data == null || runDirectory == null || (encoder == null) == (frameEncoder == null)) {
                throw new IllegalArgumentException("WorldModelTrainer needs setData, setRunDirectory and exactly one "
                        + "of setEncoder / setFrameEncoder");
            }
            return new WorldModelTrainer(this);
        }
    }
}
