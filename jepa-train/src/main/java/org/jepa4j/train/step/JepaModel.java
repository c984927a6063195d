package org.jepa4j.train.step;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.PredictorConfig;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.core.target.EmaUpdater;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.core.tensor.ParameterType;
import org.jepa4j.train.config.DataConfig;
import org.jepa4j.train.config.ModelConfig;
import org.jepa4j.train.config.ModelVariant;
import org.jepa4j.train.config.Precision;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.precision.MasterWeights;
import org.jepa4j.train.precision.PrecisionPolicy;
import org.jepa4j.train.run.Checkpoint;
import org.jepa4j.train.run.CheckpointLayout;

/**
 * The three networks of JEPA training on one device, in the numeric types of a {@link PrecisionPolicy}: the context
 * encoder and the predictor (trained by gradients) and the target encoder (an exact copy of the context encoder at
 * creation, frozen, then moved by EMA). All arrays belong to one {@link NDManager} on the model's device;
 * {@link #close()} frees them.
 *
 * <p><b>Compute parameters and masters.</b> The networks hold the <em>compute</em> parameters the forward pass
 * uses: float16 for the encoder and predictor under fp16-mixed, float32 otherwise. {@link #weights()} pairs them
 * with float32 {@link MasterWeights} (the optimizer's parameters); {@link #targetWeights()} does the same for the
 * target encoder (its EMA state), which is float32 unless the policy asks for a float16 target. Under fp32/tf32 the
 * masters are the compute parameters themselves, so one code path serves every policy. Initial values are drawn in
 * float32 from the seed, whatever the policy: an fp16-mixed model starts from the same masters as an fp32 one.
 *
 * <p>Parameter maps: {@link #trainableParameters()} are the compute parameters of the encoder and the predictor,
 * names prefixed {@code encoder.} and {@code predictor.} (gradients live there); {@link #checkpointGroups()} gives
 * the float32 masters per network with the reference names ({@code encoder}, {@code target_encoder},
 * {@code predictor}), the groups of a checkpoint, identical for every policy (a run may resume under another one).
 */
public final class JepaModel implements AutoCloseable {

    /** Prefix of context-encoder names in {@link #trainableParameters()}. */
    public static final String ENCODER_PREFIX = "encoder.";
    /** Prefix of predictor names in {@link #trainableParameters()}. */
    public static final String PREDICTOR_PREFIX = "predictor.";

    private final NDManager manager;
    private final PrecisionPolicy policy;
    private final boolean trainMaskTokens;
    private final VisionTransformer encoder;
    private final Predictor predictor;
    private final VisionTransformer target;
    private final MasterWeights weights;
    private final MasterWeights targetWeights;
    private final Map<String, NDArray> encoderMasters;
    private final Map<String, NDArray> predictorMasters;

    private JepaModel(NDManager manager, PrecisionPolicy policy, boolean trainMaskTokens, VisionTransformer encoder,
            Predictor predictor, VisionTransformer target, MasterWeights weights, MasterWeights targetWeights) {
        this.manager = manager;
        this.policy = policy;
        this.trainMaskTokens = trainMaskTokens;
        this.encoder = encoder;
        this.predictor = predictor;
        this.target = target;
        this.weights = weights;
        this.targetWeights = targetWeights;
        this.encoderMasters = Collections.unmodifiableMap(weights.masters(ENCODER_PREFIX));
        this.predictorMasters = Collections.unmodifiableMap(weights.masters(PREDICTOR_PREFIX));
    }

    /**
     * Builds the networks a configuration describes, with the reference initialization, in the precision of
     * {@code meta.precision} / {@code meta.fp16_target} resolved for the device.
     *
     * @param config the training configuration (model, data geometry, precision)
     * @param device where the parameters live
     * @param seed seed of the initial weights (the target encoder copies the context encoder)
     * @return the model; close it to free its memory
     */
    public static JepaModel create(TrainConfig config, Device device, long seed) {
        return create(config, device, seed, policyOf(config, device));
    }

    /**
     * Builds the networks a configuration describes in an explicit precision policy.
     *
     * @param config the training configuration (model, data geometry)
     * @param device where the parameters live
     * @param seed seed of the initial weights
     * @param policy numeric types of the networks
     * @return the model; close it to free its memory
     */
    public static JepaModel create(TrainConfig config, Device device, long seed, PrecisionPolicy policy) {
        return create(encoderConfig(config), predictorConfig(config), config.model().useMaskTokens(), device, seed,
                policy);
    }

    /**
     * The precision policy of a configuration on a device: {@code meta.precision} resolved for it, with
     * {@code meta.fp16_target}.
     *
     * @param config the training configuration
     * @param device the training device
     * @return the policy
     */
    public static PrecisionPolicy policyOf(TrainConfig config, Device device) {
        return PrecisionPolicy.resolve(config.meta().precision(), device).withFp16Target(config.meta().fp16Target());
    }

    /**
     * Builds float32 networks from explicit core configurations.
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
        return create(encoderConfig, predictorConfig, trainMaskTokens, device, seed,
                PrecisionPolicy.resolve(Precision.FP32, device));
    }

    /**
     * Builds networks from explicit core configurations in a precision policy. The float32 values are drawn from
     * {@code seed} (encoder, then predictor); under fp16-mixed they become the masters and their rounding the
     * float16 compute parameters, and the float32 draws are freed.
     *
     * @param encoderConfig the context/target encoder
     * @param predictorConfig the predictor
     * @param trainMaskTokens whether mask tokens are learned (else they stay at their initial value)
     * @param device where the parameters live
     * @param seed seed of the initial weights
     * @param policy numeric types of the networks
     * @return the model
     */
    public static JepaModel create(VitConfig encoderConfig, PredictorConfig predictorConfig, boolean trainMaskTokens,
            Device device, long seed, PrecisionPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        NDManager manager = NDManager.newBaseManager(device);
        manager.setName("jepa-model");
        try {
            // float32 initial values, as the references draw them
            NDManager init = policy.isMixed() ? manager.newSubManager() : manager;
            Random random = new Random(seed);
            VisionTransformer encoder32 = new VisionTransformer(encoderConfig, init, random);
            Predictor predictor32 = new Predictor(predictorConfig, init, random);
            VisionTransformer encoder = encoder32;
            Predictor predictor = predictor32;
            if (policy.isMixed()) {
                try (ParameterType ignored = policy.computeParameters()) { // float16 compute copies
                    encoder = new VisionTransformer(encoderConfig, manager, seed);
                    predictor = new Predictor(predictorConfig, manager, seed);
                }
            }
            VisionTransformer target;
            try (ParameterType ignored = policy.targetParameters()) {
                target = new VisionTransformer(encoderConfig, manager, seed);
            }
            encoder.setTrainable(true);
            predictor.setTrainable(true);
            if (!trainMaskTokens) {
                predictor.parameters().forEach((name, p) -> {
                    if (name.startsWith("mask_tokens.")) {
                        p.setRequiresGradient(false);
                    }
                });
            }
            target.setTrainable(false);
            Map<String, NDArray> compute = prefixed(encoder.parameters(), predictor.parameters());
            MasterWeights weights = policy.isMixed()
                    ? MasterWeights.fromValues(compute, prefixed(encoder32.parameters(), predictor32.parameters()))
                    : MasterWeights.fromCompute(compute);
            // the target's float32 state starts as the context encoder's float32 values
            MasterWeights targetWeights = MasterWeights.fromValues(target.parameters(), encoder32.parameters());
            if (init != manager) {
                init.close(); // the float32 draws live on in the masters
            }
            return new JepaModel(manager, policy, trainMaskTokens, encoder, predictor, target, weights,
                    targetWeights);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Map<String, NDArray> prefixed(Map<String, NDArray> encoder, Map<String, NDArray> predictor) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        encoder.forEach((k, v) -> out.put(ENCODER_PREFIX + k, v));
        predictor.forEach((k, v) -> out.put(PREDICTOR_PREFIX + k, v));
        return out;
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
            case VJEPA2 -> PositionKind.ROPE_3D;
            case VJEPA, IJEPA -> image ? PositionKind.SINCOS_2D : PositionKind.SINCOS_3D;
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
                .optSortTokens(m.variant() == ModelVariant.VJEPA2)
                .build();
    }

    /**
     * A copy of this model on another device (same policy, same masters bit for bit, hence the same compute
     * parameters), for data-parallel replicas.
     *
     * @param device the replica's device
     * @return the replica; close it when done
     */
    public JepaModel replicate(Device device) {
        JepaModel copy = create(encoder.config(), predictor.config(), trainMaskTokens, device, 0, policy);
        try {
            copy.copyWeightsFrom(this);
            return copy;
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
    }

    /**
     * Overwrites every master (encoder, predictor, target) with another model's values, across devices, without
     * autograd, and refreshes the compute parameters from them (the data-parallel weight broadcast).
     *
     * @param source the model to copy; its layout must be identical
     */
    public void copyWeightsFrom(JepaModel source) {
        loadMasters(source.checkpointGroups(), "replica source");
    }

    /**
     * Loads the {@code encoder}, {@code target_encoder} and {@code predictor} groups of a checkpoint in place: they
     * become the float32 masters (bit for bit), whose rounding the compute parameters then hold. A checkpoint of any
     * policy loads into a model of any policy.
     *
     * @param checkpoint a loaded checkpoint
     * @throws IllegalArgumentException naming the group and tensors that do not match this model
     */
    public void load(Checkpoint checkpoint) {
        Map<String, Map<String, NDArray>> groups = new LinkedHashMap<>();
        for (String g : List.of(CheckpointLayout.ENCODER, CheckpointLayout.TARGET_ENCODER, CheckpointLayout.PREDICTOR)) {
            groups.put(g, checkpoint.group(g));
        }
        loadMasters(groups, checkpoint.dir().toString());
    }

    /**
     * Loads float32 values into the masters of the three networks (then their compute copies), as {@link #load}
     * does for a checkpoint: for starting a run from other weights ({@link org.jepa4j.train.weights.InitialWeights}).
     *
     * @param groups {@link CheckpointLayout#ENCODER}, {@link CheckpointLayout#TARGET_ENCODER} and
     *     {@link CheckpointLayout#PREDICTOR}, each parameter name to values of this model's layout
     * @param origin where the values come from, for error messages
     * @throws IllegalArgumentException naming the group and tensors that do not match this model
     */
    public void loadWeights(Map<String, Map<String, NDArray>> groups, String origin) {
        for (String g : List.of(CheckpointLayout.ENCODER, CheckpointLayout.TARGET_ENCODER, CheckpointLayout.PREDICTOR)) {
            if (groups.get(g) == null) {
                throw new IllegalArgumentException(origin + ": no " + g + " weights");
            }
        }
        loadMasters(groups, origin);
    }

    private void loadMasters(Map<String, Map<String, NDArray>> groups, String what) {
        Map<String, NDArray> enc = groups.get(CheckpointLayout.ENCODER);
        Map<String, NDArray> pred = groups.get(CheckpointLayout.PREDICTOR);
        try {
            EmaUpdater.checkSameLayout(encoderMasters, enc);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " group " + CheckpointLayout.ENCODER + ": " + e.getMessage(), e);
        }
        try {
            EmaUpdater.checkSameLayout(predictorMasters, pred);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " group " + CheckpointLayout.PREDICTOR + ": " + e.getMessage(), e);
        }
        try {
            targetWeights.load(groups.get(CheckpointLayout.TARGET_ENCODER));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " group " + CheckpointLayout.TARGET_ENCODER + ": " + e.getMessage(),
                    e);
        }
        weights.load(prefixed(enc, pred));
    }

    /**
     * The context encoder (trained).
     *
     * @return the context encoder whose parameters the optimizer trains
     */
    public VisionTransformer encoder() {
        return encoder;
    }

    /**
     * The predictor (trained).
     *
     * @return the predictor whose parameters the optimizer trains
     */
    public Predictor predictor() {
        return predictor;
    }

    /**
     * The target encoder (frozen, EMA of the context encoder).
     *
     * @return the target encoder, updated only by the EMA of the context encoder
     */
    public VisionTransformer targetEncoder() {
        return target;
    }

    /**
     * Context-encoder and predictor compute parameters (float16 under fp16-mixed), names prefixed {@code encoder.} /
     * {@code predictor.}: the arrays the forward pass uses and backward fills with gradients.
     *
     * @return the compute-type parameters of the encoder and predictor by prefixed name (live arrays)
     */
    public Map<String, NDArray> trainableParameters() {
        return weights.compute();
    }

    /**
     * Float32 masters of the context encoder and the predictor (the optimizer's parameters) and their compute copies.
     *
     * @return the trainable weights: float32 masters and compute copies of {@code encoder.*} and {@code predictor.*}
     */
    public MasterWeights weights() {
        return weights;
    }

    /**
     * Float32 EMA state of the target encoder and its compute copy (the same arrays unless the target is float16).
     *
     * @return the target encoder's float32 EMA state and its compute copy
     */
    public MasterWeights targetWeights() {
        return targetWeights;
    }

    /**
     * The precision policy the networks were built in.
     *
     * @return the policy fixing the compute type, master weights and loss scaling
     */
    public PrecisionPolicy policy() {
        return policy;
    }

    /**
     * Moves the target encoder towards the context encoder, {@code target = m * target + (1 - m) * encoder}, on the
     * float32 masters, then refreshes the target's compute parameters.
     *
     * @param momentum the EMA momentum m
     */
    public void updateTarget(double momentum) {
        EmaUpdater.update(targetWeights.masters(), encoderMasters, momentum);
        targetWeights.copyToCompute();
    }

    /**
     * The float32 masters by checkpoint group: {@link CheckpointLayout#ENCODER}, {@link CheckpointLayout#TARGET_ENCODER},
     * {@link CheckpointLayout#PREDICTOR}, each with the reference names (live arrays; the compute parameters themselves
     * under fp32).
     *
     * @return group name to (parameter name to live array)
     */
    public Map<String, Map<String, NDArray>> checkpointGroups() {
        Map<String, Map<String, NDArray>> g = new LinkedHashMap<>();
        g.put(CheckpointLayout.ENCODER, encoderMasters);
        g.put(CheckpointLayout.TARGET_ENCODER, targetWeights.masters());
        g.put(CheckpointLayout.PREDICTOR, predictorMasters);
        return g;
    }

    /**
     * The manager owning every parameter.
     *
     * @return the manager that owns all parameters; closing the model closes it
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * The device of the parameters.
     *
     * @return the device every parameter of this model lives on
     */
    public Device device() {
        return manager.getDevice();
    }

    /** Frees every parameter and master. */
    @Override
    public void close() {
        targetWeights.close();
        weights.close();
        manager.close();
    }
}
