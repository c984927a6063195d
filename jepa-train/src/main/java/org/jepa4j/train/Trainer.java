package org.jepa4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongPredicate;
import org.jepa4j.train.config.ConfigException;
import org.jepa4j.train.config.MetaConfig;
import org.jepa4j.train.config.OptimizationConfig;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.precision.DynamicLossScaler;
import org.jepa4j.train.precision.PrecisionPolicy;
import org.jepa4j.train.run.RunDirectory;
import org.jepa4j.train.step.JepaModel;
import org.jepa4j.train.step.JepaStep;
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
            TrainingSession run = new TrainingSession(config, listeners, corruptInputAt, this::isStopRequested,
                    runDir, model, step, ipe, numSets);
            RunProgress progress = run.resumeOrInitialize();
            LOG.info("Training {} ({}) on {} in {}: {} steps ({} epochs x {} ipe), {} samples, batch {} x {} device(s) x "
                    + "{} accumulation, {} mask sets; run directory {}", config.model().variant(),
                    model.encoder().config(), devs, policy, run.totalSteps(), opt.epochs(), ipe, source.size(),
                    config.data().batchSize(), devs.size(), opt.gradAccumSteps(), numSets, runDir.root());
            NDArray collapseBatch = config.logging().collapseFreq() > 0 ? collapseBatch(source, fixed) : null;
            run.train(progress, loader, collapseBatch);
            return run.summary(progress, startNanos);
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

    private JepaStep newStep(JepaModel model, List<Device> devs, int numSets) {
        JepaStep.Builder b = JepaStep.builder().setModel(model).optDevices(devs).optLoss(config.loss())
                .optOptimization(config.optimization())
                .optMaskTokenIndex(TrainingData.maskTokenIndex(config, numSets));
        if (initialLossScale != null && model.policy().isMixed()) {
            b.optLossScaler(DynamicLossScaler.builder().optInitScale(initialLossScale).build());
        }
        return b.build();
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
