package org.jepa4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.PredictorConfig;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.core.target.EmaUpdater;
import org.jepa4j.core.target.NoGrad;
import org.jepa4j.train.config.DataConfig;
import org.jepa4j.train.config.ModelConfig;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.run.Checkpoint;
import org.jepa4j.train.run.Checkpointer;

/**
 * The three networks of JEPA training on one device: the context encoder and the predictor (trained by
 * gradients) and the target encoder (an exact copy of the context encoder at creation, frozen, then moved by
 * EMA). All parameters belong to one {@link NDManager} on the model's device; {@link #close()} frees them.
 *
 * <p>Parameter maps: {@link #trainableParameters()} prefixes names with {@code encoder.} and {@code predictor.}
 * (one flat map for the optimizer); {@link #checkpointGroups()} gives the reference names per network
 * ({@code encoder}, {@code target_encoder}, {@code predictor}), the groups of a checkpoint.
 */
public final class JepaModel implements AutoCloseable {

    /** Prefix of context-encoder names in {@link #trainableParameters()}. */
    public static final String ENCODER_PREFIX = "encoder.";
    /** Prefix of predictor names in {@link #trainableParameters()}. */
    public static final String PREDICTOR_PREFIX = "predictor.";

    private final NDManager manager;
    private final VisionTransformer encoder;
    private final Predictor predictor;
    private final VisionTransformer target;
    private final Map<String, NDArray> trainable;

    private JepaModel(NDManager manager, VisionTransformer encoder, Predictor predictor, VisionTransformer target,
            boolean trainMaskTokens) {
        this.manager = manager;
        this.encoder = encoder;
        this.predictor = predictor;
        this.target = target;
        encoder.setTrainable(true);
        predictor.setTrainable(true);
        if (!trainMaskTokens) {
            predictor.parameters().forEach((name, p) -> {
                if (name.startsWith("mask_tokens.")) {
                    p.setRequiresGradient(false);
                }
            });
        }
        EmaUpdater.copyInto(target.parameters(), encoder.parameters());
        target.setTrainable(false);
        Map<String, NDArray> t = new LinkedHashMap<>();
        encoder.parameters().forEach((k, v) -> t.put(ENCODER_PREFIX + k, v));
        predictor.parameters().forEach((k, v) -> t.put(PREDICTOR_PREFIX + k, v));
        this.trainable = java.util.Collections.unmodifiableMap(t);
        warmUpCaches();
    }

    /**
     * Builds the networks a configuration describes, with the reference initialization.
     *
     * @param config the training configuration (model, data geometry)
     * @param device where the parameters live
     * @param seed seed of the initial weights (the target encoder copies the context encoder)
     * @return the model; close it to free its memory
     */
    public static JepaModel create(TrainConfig config, Device device, long seed) {
        return create(encoderConfig(config), predictorConfig(config), config.model().useMaskTokens(), device, seed);
    }

    /**
     * Builds networks from explicit core configurations.
     *
     * @param encoderConfig the context/target encoder
     * @param predictorConfig the predictor
     * @param trainMaskTokens whether mask tokens are learned (else they stay at their initial value)
     * @param device where the parameters live
     * @param seed seed of the initial weights
     * @return the model
     */
    public static JepaModel create(VitConfig encoderConfig, PredictorConfig predictorConfig, boolean trainMaskTokens,
            Device device, long seed) {
        NDManager manager = NDManager.newBaseManager(device);
        manager.setName("jepa-model");
        try {
            Random random = new Random(seed);
            VisionTransformer encoder = new VisionTransformer(encoderConfig, manager, random);
            Predictor predictor = new Predictor(predictorConfig, manager, random);
            VisionTransformer target = new VisionTransformer(encoderConfig, manager, random);
            return new JepaModel(manager, encoder, predictor, target, trainMaskTokens);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The encoder configuration of a training configuration: width/depth/heads/MLP of {@code model}, geometry
     * of {@code data}; positions 3D sin-cos for {@code vjepa}, 3D RoPE for {@code vjepa2}, 2D sin-cos for
     * {@code ijepa} (or any image data set).
     *
     * @param config the training configuration
     * @return the encoder configuration
     */
    public static VitConfig encoderConfig(TrainConfig config) {
        ModelConfig m = config.model();
        DataConfig d = config.data();
        boolean image = d.datasetType().equals("image") || d.numFrames() == 1;
        PositionKind positions = switch (m.variant()) {
            case "vjepa2" -> PositionKind.ROPE_3D;
            default -> image ? PositionKind.SINCOS_2D : PositionKind.SINCOS_3D;
        };
        return VitConfig.builder()
                .setWidth(m.embedDim())
                .setDepth(m.depth())
                .setNumHeads(m.numHeads())
                .optMlpRatio(m.mlpRatio())
                .optPatchSize(d.patchSize())
                .optTubeletSize(image ? 1 : d.tubeletSize())
                .optFrames(image ? 1 : d.numFrames())
                .optImageSize(d.cropSize())
                .optInChannels(m.inChans())
                .optPositionKind(positions)
                .optUniformPower(m.uniformPower() && !image)
                .build();
    }

    /**
     * The predictor configuration of a training configuration: {@code model.pred_*} sizes, one mask token per
     * {@code model.num_mask_tokens}, token sorting for {@code vjepa2} (as V-JEPA 2) and not otherwise.
     *
     * @param config the training configuration
     * @return the predictor configuration
     */
    public static PredictorConfig predictorConfig(TrainConfig config) {
        ModelConfig m = config.model();
        VitConfig enc = encoderConfig(config);
        return PredictorConfig.builder(enc)
                .setWidth(m.predEmbedDim())
                .setDepth(m.predDepth())
                .setNumHeads(m.predNumHeads())
                .optMlpRatio(m.mlpRatio())
                .optNumMaskTokens(Math.max(1, m.numMaskTokens()))
                .optZeroInitMaskTokens(m.zeroInitMaskTokens() || !m.useMaskTokens())
                .optSortTokens(m.variant().equals("vjepa2"))
                .build();
    }

    /**
     * A copy of this model on another device (same weights, bit for bit), for data-parallel replicas.
     *
     * @param device the replica's device
     * @return the replica; close it when done
     */
    public JepaModel replicate(Device device) {
        JepaModel copy = create(encoder.config(), predictor.config(), true, device, 0);
        try {
            // Same trainability as this model (mask tokens may be frozen).
            trainable.forEach((k, v) -> copy.trainable.get(k).setRequiresGradient(v.hasGradient()));
            copy.copyWeightsFrom(this);
            return copy;
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    /**
     * Overwrites every parameter (encoder, predictor, target) with another model's values, across devices,
     * without autograd (the data-parallel weight broadcast).
     *
     * @param source the model to copy; its layout must be identical
     */
    public void copyWeightsFrom(JepaModel source) {
        Map<String, Map<String, NDArray>> src = source.checkpointGroups();
        Map<String, Map<String, NDArray>> dst = checkpointGroups();
        for (Map.Entry<String, Map<String, NDArray>> g : dst.entrySet()) {
            copyInto(g.getValue(), src.get(g.getKey()), g.getKey());
        }
    }

    /**
     * Loads the {@code encoder}, {@code target_encoder} and {@code predictor} groups of a checkpoint in place.
     *
     * @param checkpoint a loaded checkpoint
     * @throws IllegalArgumentException naming the group and tensors that do not match this model
     */
    public void load(Checkpoint checkpoint) {
        Map<String, Map<String, NDArray>> dst = checkpointGroups();
        for (Map.Entry<String, Map<String, NDArray>> g : dst.entrySet()) {
            copyInto(g.getValue(), checkpoint.group(g.getKey()), checkpoint.dir() + " group " + g.getKey());
        }
    }

    private static void copyInto(Map<String, NDArray> dst, Map<String, NDArray> src, String what) {
        try {
            EmaUpdater.checkSameLayout(dst, src);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> e : dst.entrySet()) {
                NDArray d = e.getValue();
                NDArray s = src.get(e.getKey());
                d.set(new NDIndex("..."), s.getDevice().equals(d.getDevice()) ? s : s.toDevice(d.getDevice(), true));
            }
        }
    }

    /**
     * Computes the position caches of full-input forwards (3D RoPE tables) once, outside any {@link NDScope}, so
     * that a forward inside a per-step scope never caches an array the scope would free.
     */
    private void warmUpCaches() {
        if (encoder.config().positionKind() != PositionKind.ROPE_3D) {
            return;
        }
        VitConfig c = encoder.config();
        try (NDManager sub = manager.newSubManager(); NoGrad ignored = NoGrad.enter()) {
            Shape s = c.isVideo() ? new Shape(1, c.inChannels(), c.frames(), c.imageSize(), c.imageSize())
                    : new Shape(1, c.inChannels(), c.imageSize(), c.imageSize());
            target.forward(sub.zeros(s));
            encoder.forward(sub.zeros(s));
        }
    }

    /** The context encoder (trained). */
    public VisionTransformer encoder() {
        return encoder;
    }

    /** The predictor (trained). */
    public Predictor predictor() {
        return predictor;
    }

    /** The target encoder (frozen, EMA of the context encoder). */
    public VisionTransformer targetEncoder() {
        return target;
    }

    /** Context-encoder and predictor parameters, names prefixed {@code encoder.} / {@code predictor.}. */
    public Map<String, NDArray> trainableParameters() {
        return trainable;
    }

    /**
     * The live parameters by checkpoint group: {@link Checkpointer#ENCODER}, {@link Checkpointer#TARGET_ENCODER},
     * {@link Checkpointer#PREDICTOR}, each with the reference names.
     *
     * @return group name to (parameter name to live array)
     */
    public Map<String, Map<String, NDArray>> checkpointGroups() {
        Map<String, Map<String, NDArray>> g = new LinkedHashMap<>();
        g.put(Checkpointer.ENCODER, encoder.parameters());
        g.put(Checkpointer.TARGET_ENCODER, target.parameters());
        g.put(Checkpointer.PREDICTOR, predictor.parameters());
        return g;
    }

    /** The manager owning every parameter. */
    public NDManager manager() {
        return manager;
    }

    /** The device of the parameters. */
    public Device device() {
        return manager.getDevice();
    }

    /** Frees every parameter. */
    @Override
    public void close() {
        manager.close();
    }
}
