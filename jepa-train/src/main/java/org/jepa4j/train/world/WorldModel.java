package org.jepa4j.train.world;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.model.StateDict;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.core.world.ActionConditionedPredictor;
import org.jepa4j.train.run.Checkpoint;
import org.jepa4j.train.run.Checkpointer;
import org.jepa4j.train.run.RunDirectory;

/**
 * A trained world model, loaded back from a {@code world train} run directory for planning: the frozen frame encoder
 * the run used ({@code meta.encoder} of its {@code config.yaml}, or another path with the same geometry) and the
 * action-conditioned predictor of its latest checkpoint. Everything runs without gradients.
 *
 * <pre>{@code
 * try (WorldModel wm = WorldModel.load(Path.of("runs/world"), null)) {
 *     NDArray z = wm.encodeFrames(frames);                  // [N, H*W, E], frames [N, 3, S, S] normalized
 *     NDArray next = wm.predict(z0, actions, states);       // [B, T*H*W, E]
 * }
 * }</pre>
 */
public final class WorldModel implements AutoCloseable {

    private final FrameEncoder encoder;
    private final NDManager manager;
    private final ActionConditionedPredictor predictor;
    private final WorldTrainConfig config;
    private final Path run;
    private final boolean ownsEncoder;

    private WorldModel(FrameEncoder encoder, NDManager manager, ActionConditionedPredictor predictor,
            WorldTrainConfig config, Path run, boolean ownsEncoder) {
        this.ownsEncoder = ownsEncoder;
        this.encoder = encoder;
        this.manager = manager;
        this.predictor = predictor;
        this.config = config;
        this.run = run;
    }

    /**
     * Loads a run with the encoder recorded in its configuration.
     *
     * @param run the run directory
     * @param device the device, or null for DJL's default
     * @return the world model, to be closed
     * @throws IOException if a file is missing or unreadable
     */
    public static WorldModel load(Path run, Device device) throws IOException {
        return load(run, null, device);
    }

    /**
     * Loads a run with a given encoder (e.g. after moving the encoder's folder).
     *
     * @param run the run directory
     * @param encoderPath the encoder directory, or null for {@code meta.encoder} of the run's configuration
     * @param device the device, or null for DJL's default
     * @return the world model, to be closed
     * @throws IOException if a file is missing or unreadable
     * @throws IllegalArgumentException if the encoder does not fit the predictor (names both)
     */
    public static WorldModel load(Path run, Path encoderPath, Device device) throws IOException {
        WorldTrainConfig cfg = WorldTrainConfig.read(run.resolve(RunDirectory.CONFIG_FILE));
        Path encPath = encoderPath != null ? encoderPath : Path.of(cfg.encoder());
        FrameEncoder enc = FrameEncoder.load(encPath, device);
        try {
            return build(run, cfg, enc, true);
        } catch (IOException | RuntimeException e) {
            enc.close();
            throw e;
        }
    }

    /**
     * Loads a run's predictor next to an already loaded frame encoder (not closed with the world model).
     *
     * @param run the run directory
     * @param encoder the frame encoder the run was trained with (or one of the same geometry); the predictor goes to
     *     its device
     * @return the world model, to be closed
     * @throws IOException if a file is missing or unreadable
     */
    public static WorldModel withEncoder(Path run, FrameEncoder encoder) throws IOException {
        return build(run, WorldTrainConfig.read(run.resolve(RunDirectory.CONFIG_FILE)), encoder, false);
    }

    private static WorldModel build(Path run, WorldTrainConfig cfg, FrameEncoder enc, boolean owns)
            throws IOException {
        String encPath = enc.source();
        NDManager m = NDManager.newBaseManager(enc.device());
        try {
            ActionConditionedPredictor p = loadPredictor(run, m);
            var pc = p.config();
            if (pc.imgHeight() != enc.imageSize() || pc.patchSize() != enc.patchSize()
                    || pc.embedDim() != enc.width()) {
                throw new IllegalArgumentException("encoder " + encPath + " (" + enc.imageSize() + " px, patch "
                        + enc.patchSize() + ", width " + enc.width() + ") does not fit the predictor of " + run + " ("
                        + pc.imgHeight() + " px, patch " + pc.patchSize() + ", width " + pc.embedDim() + ")");
            }
            return new WorldModel(enc, m, p, cfg, run, owns);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Loads only the predictor of a run's latest checkpoint (frozen).
     *
     * @param run the run directory
     * @param manager owner of the parameters
     * @return the predictor
     * @throws IOException if the run has no checkpoint or it cannot be read
     */
    public static ActionConditionedPredictor loadPredictor(Path run, NDManager manager) throws IOException {
        ActionConditionedPredictor p = new ActionConditionedPredictor(WorldModelTrainer.predictorConfig(run), manager,
                0L);
        Checkpointer checkpointer = new Checkpointer(run.resolve("checkpoints"), Integer.MAX_VALUE);
        Optional<Checkpoint> latest;
        try (NDManager tmp = manager.newSubManager()) {
            latest = checkpointer.loadLatest(tmp);
            if (latest.isEmpty()) {
                throw new NoSuchFileException(run.resolve("checkpoints").toString(), null, "no checkpoint yet");
            }
            try (Checkpoint cp = latest.get()) {
                StateDict.load(p, cp.group(WorldModelTrainer.PREDICTOR), cp.dir().toString());
            }
        }
        p.setTrainable(false);
        return p;
    }

    /**
     * Encodes frames one by one (each a still tubelet), layer-normed as in training.
     *
     * @param frames normalized pixels {@code [N, 3, S, S]} (see {@link FrameReader}); S = {@link #frameSize()}
     * @return tokens {@code [N, H*W, E]}, owned by the frames' manager
     */
    public NDArray encodeFrames(NDArray frames) {
        return encoder.encode(frames, config.encodeBatch());
    }

    /**
     * Predicts the next frame's tokens of every step, layer-normed when the model was trained so
     * ({@code loss.normalize_reps}), i.e. comparable with {@link #encodeFrames} outputs.
     *
     * @param tokens {@code [B, T*H*W, E]} (frames 0..T-1, encoded or predicted)
     * @param actions {@code [B, T, A]}
     * @param states {@code [B, T, A]} (replaced by zeros when the model was trained without states,
     *     {@code data.use_states false})
     * @return {@code [B, T*H*W, E]}: step t predicts frame t+1, owned by the tokens' manager
     */
    public NDArray predict(NDArray tokens, NDArray actions, NDArray states) {
        try (NoGrad ignored = NoGrad.enter()) {
            NDArray z = predictor.forward(tokens, actions, config.useStates() ? states : states.zerosLike(), null);
            return config.normalizeReps() ? JepaLoss.layerNormNoAffine(z) : z;
        }
    }

    /**
     * The predictor (frozen).
     *
     * @return the predictor (frozen)
     */
    public ActionConditionedPredictor predictor() {
        return predictor;
    }

    /**
     * The frame encoder.
     *
     * @return the frame encoder
     */
    public FrameEncoder encoder() {
        return encoder;
    }

    /**
     * The run's training configuration.
     *
     * @return the run's training configuration
     */
    public WorldTrainConfig config() {
        return config;
    }

    /**
     * Frame height and width the encoder takes.
     *
     * @return frame height and width the encoder takes
     */
    public int frameSize() {
        return encoder.imageSize();
    }

    /**
     * Tokens per frame, H*W.
     *
     * @return tokens per frame, H*W
     */
    public int tokensPerFrame() {
        return encoder.tokensPerFrame();
    }

    /**
     * Action (and state) dimension.
     *
     * @return action (and state) dimension
     */
    public int actionDim() {
        return predictor.config().actionEmbedDim();
    }

    /**
     * Largest number of steps one {@link #predict} call takes.
     *
     * @return largest number of steps one {@link #predict} call takes
     */
    public int maxSteps() {
        return predictor.config().maxSteps();
    }

    /**
     * The run directory.
     *
     * @return the run directory
     */
    public Path runDirectory() {
        return run;
    }

    @Override
    public void close() {
        manager.close();
        if (ownsEncoder) {
            encoder.close();
        }
    }
}
