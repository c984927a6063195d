package org.jepa4j.train.physics;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.jepa4j.core.hf.HfCheckpoints;
import org.jepa4j.core.hf.HfConfig;
import org.jepa4j.core.hf.VJepa2Checkpoint;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.PredictorConfig;
import org.jepa4j.core.model.StateDict;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.train.step.JepaModel;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.RunEncoderLoader;
import org.jepa4j.train.run.CheckpointLayout;

/**
 * The three networks a surprise measurement needs: the context encoder and the predictor (which predict the future
 * from the context frames) and the target encoder (which encodes what really happened). All arrays belong to one
 * manager that {@link #close()} frees.
 *
 * <p>A jepa4j run gives all three from its checkpoint ({@code encoder}, {@code predictor}, {@code target_encoder}).
 * A Hugging Face V-JEPA 2 directory holds one encoder (the released target encoder), which then plays both roles,
 * as in the reference evaluation. {@link #randomInit(long)} builds the same networks at initialization, for the
 * random-init baseline.
 */
public final class SurpriseModel implements AutoCloseable {

    private final NDManager manager;
    private final VisionTransformer contextEncoder;
    private final VisionTransformer targetEncoder;
    private final Predictor predictor;
    private final String description;
    private final List<Integer> scoringContexts;

    private SurpriseModel(NDManager manager, VisionTransformer contextEncoder, VisionTransformer targetEncoder,
            Predictor predictor, String description, List<Integer> scoringContexts) {
        this.manager = manager;
        this.contextEncoder = contextEncoder;
        this.targetEncoder = targetEncoder;
        this.predictor = predictor;
        this.description = description;
        this.scoringContexts = List.copyOf(scoringContexts);
    }

    /**
     * Wraps networks the caller built (tests, custom models). The model takes no ownership: closing it closes
     * {@code manager}, which should own the networks.
     *
     * @param manager owner of the networks' arrays
     * @param contextEncoder encoder of the context frames
     * @param targetEncoder encoder of the whole window (may be the same object as {@code contextEncoder})
     * @param predictor predictor on the context encoder's grid
     * @param description name for reports
     * @return the model
     */
    public static SurpriseModel of(NDManager manager, VisionTransformer contextEncoder,
            VisionTransformer targetEncoder, Predictor predictor, String description) {
        checkVideo(contextEncoder.config(), description);
        return new SurpriseModel(Objects.requireNonNull(manager, "manager"), contextEncoder,
                Objects.requireNonNull(targetEncoder, "targetEncoder"), Objects.requireNonNull(predictor,
                        "predictor"), description, List.of());
    }

    /**
     * Loads the latest checkpoint of a jepa4j run (or a {@code checkpoints/step-N} directory).
     *
     * @param runOrCheckpoint a run directory, its checkpoints folder, or a checkpoint directory
     * @param device where the networks live
     * @return the model
     * @throws IOException if the run, its config or a weights file is missing or unreadable
     */
    public static SurpriseModel fromRun(Path runOrCheckpoint, Device device) throws IOException {
        RunEncoderLoader run = RunEncoderLoader.of(runOrCheckpoint);
        VitConfig vit = JepaModel.encoderConfig(run.config());
        PredictorConfig pred = JepaModel.predictorConfig(run.config());
        checkVideo(vit, runOrCheckpoint.toString());
        Path cp = run.checkpoint();
        NDManager manager = NDManager.newBaseManager(device);
        try {
            VisionTransformer context = EncoderLoader.safeTensors(
                    cp.resolve(CheckpointLayout.ENCODER + ".safetensors"), vit).load(manager);
            VisionTransformer target = run.load(manager);
            Predictor predictor = new Predictor(pred, manager, 0L);
            Path file = cp.resolve(CheckpointLayout.PREDICTOR + ".safetensors");
            try (NDManager tmp = manager.newSubManager(); SafeTensorsReader reader = SafeTensors.open(file)) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                for (String name : reader.names()) {
                    tensors.put(name, reader.load(name, tmp));
                }
                StateDict.load(predictor, tensors, file.toString());
            }
            return new SurpriseModel(manager, context, target, predictor, "jepa4j:" + cp,
                    run.config().eval().physicsContext());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a Hugging Face V-JEPA 2 directory ({@code VJEPA2Model} or {@code VJEPA2ForVideoClassification}); its
     * encoder is both the context and the target encoder.
     *
     * @param dir the model directory
     * @param device where the networks live
     * @return the model
     * @throws IOException if a file is missing or unreadable
     * @throws IllegalArgumentException if the directory is not a V-JEPA 2 model
     */
    public static SurpriseModel fromHf(Path dir, Device device) throws IOException {
        String type = HfConfig.read(dir).modelType();
        if (!type.equals("vjepa2")) {
            throw new IllegalArgumentException(dir.resolve("config.json") + ": model_type '" + type
                    + "' has no predictor; surprise needs a V-JEPA 2 directory (model_type vjepa2)");
        }
        NDManager manager = NDManager.newBaseManager(device);
        try {
            VJepa2Checkpoint cp = HfCheckpoints.loadVJepa2(dir, manager);
            return new SurpriseModel(manager, cp.encoder(), cp.encoder(), cp.predictor(), "huggingface:" + dir,
                    List.of());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The same networks at initialization (context encoder, predictor drawn from {@code seed}; the target encoder
     * a copy of the context encoder, as at the start of training).
     *
     * @param seed seed of the initial weights
     * @return a new model on this model's device; close it when done
     */
    public SurpriseModel randomInit(long seed) {
        NDManager m = NDManager.newBaseManager(manager.getDevice());
        try {
            Random random = new Random(seed);
            VisionTransformer context = new VisionTransformer(contextEncoder.config(), m, random);
            Predictor pred = new Predictor(predictor.config(), m, random);
            VisionTransformer target = new VisionTransformer(contextEncoder.config(), m, 0L);
            StateDict.load(target, context.parameters(), "random init seed " + seed);
            return new SurpriseModel(m, context, target, pred, "random-init seed " + seed, scoringContexts);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static void checkVideo(VitConfig config, String where) {
        if (!config.isVideo()) {
            throw new IllegalArgumentException(where + ": an image model (" + config
                    + ") cannot measure surprise over time; use a video model");
        }
    }

    /** Returns the encoder of the context frames. */
    public VisionTransformer contextEncoder() {
        return contextEncoder;
    }

    /** Returns the encoder of whole windows (the targets). */
    public VisionTransformer targetEncoder() {
        return targetEncoder;
    }

    /** Returns the predictor. */
    public Predictor predictor() {
        return predictor;
    }

    /** Returns the clip length in frames (the window length). */
    public int frames() {
        return contextEncoder.config().frames();
    }

    /** Returns the frame height and width the model takes. */
    public int size() {
        return contextEncoder.config().imageSize();
    }

    /** Returns the frames per temporal token. */
    public int tubelet() {
        return contextEncoder.config().tubeletSize();
    }

    /**
     * The context lengths in frames its recipe is scored with (a run's {@code eval.physics_context}); empty when it
     * names none (Hugging Face directories, runs without that key, models built with {@link #of}).
     *
     * @return context lengths in frames, possibly empty
     */
    public List<Integer> scoringContexts() {
        return scoringContexts;
    }

    /** Returns the model's device. */
    public Device device() {
        return manager.getDevice();
    }

    /** Returns where the weights came from. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        manager.close();
    }
}
