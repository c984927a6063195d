package org.jepa4j.core.world;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.hf.ReferenceWeights;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.io.TorchCheckpoint;
import org.jepa4j.core.model.LayerNorm;
import org.jepa4j.core.model.Linear;
import org.jepa4j.core.model.Module;
import org.jepa4j.core.model.Rope3D;
import org.jepa4j.core.model.StateDict;

/**
 * The action-conditioned predictor of V-JEPA 2-AC ({@code VisionTransformerPredictorAC} of
 * facebookresearch/vjepa2): given the frozen encoder's tokens of frames {@code 0..T-1} and the action and state
 * of each step, it predicts the tokens of frames {@code 1..T}.
 *
 * <p>Per time step t the sequence holds {@code [action_t, state_t, (extrinsics_t), patch tokens of frame t]}
 * ({@code K} = 2 or 3 conditioning tokens then {@code H*W} patch tokens), each conditioning value through its own
 * linear encoder and the patch tokens through {@code predictor_embed}. Attention is block-causal: a token of step t
 * sees every token of steps {@code <= t} ({@code is_frame_causal}). RoPE (three axes of {@code 2*((h/3)/2)}
 * channels each, the rest unrotated, the reference's duplicated-frequency tiling) positions patch tokens at
 * {@code (t, row * gh/H, column * gh/W)} with {@code gh} the grid height, and conditioning tokens at
 * {@code (t, 0, 0)}: rotated on time only. After the pre-norm blocks the conditioning tokens are dropped and the
 * patch tokens go through {@code predictor_norm} and {@code predictor_proj}. With jepa4j's
 * {@link AcPredictorConfig#residual()} option (off by default, and absent from the reference) that output is a
 * change: the prediction of frame t+1 is frame t's input tokens plus it, so copying the last frame is the zero output.
 *
 * <p>Parameters carry the reference names ({@code predictor_embed.weight}, {@code action_encoder.weight},
 * {@code predictor_blocks.0.attn.qkv.weight}, ...), so released checkpoints load by name
 * ({@link #loadReference(Path, NDManager)}); {@link #save(Path)} / {@link #load(Path, NDManager)} read and write
 * jepa4j's own single-file format (safetensors with the configuration in its metadata). The reference always builds
 * {@code extrinsics_encoder}; without {@code use_extrinsics} it is kept (for the checkpoint layout) but frozen.
 */
public final class ActionConditionedPredictor implements Module {

    /** Metadata key of the configuration JSON in jepa4j's own file. */
    public static final String CONFIG_METADATA = "ac_predictor_config";

    private final AcPredictorConfig config;
    private final NDManager manager;
    private final Linear predictorEmbed;
    private final Linear actionEncoder;
    private final Linear stateEncoder;
    private final Linear extrinsicsEncoder;
    private final List<AcBlock> blocks;
    private final LayerNorm predictorNorm;
    private final Linear predictorProj;
    private final Map<Integer, StepTables> tables = new HashMap<>();
    private final Map<Integer, Rope3D> stepRope = new HashMap<>();

    /** RoPE tables and attention mask of one sequence length (T steps), cached in the model's manager. */
    private record StepTables(Rope3D rope, NDArray mask) {
    }

    /**
     * Creates the predictor with the reference initialization (trunc-normal std 0.02 weights, zero biases,
     * LayerNorms (1, 0), each block's {@code attn.proj} and {@code mlp.fc2} weights divided by
     * {@code sqrt(2 * layer)}).
     *
     * @param config the hyper-parameters
     * @param manager owner of the parameters and cached tables
     * @param seed seed of the initial weights
     */
    public ActionConditionedPredictor(AcPredictorConfig config, NDManager manager, long seed) {
        this.config = config;
        this.manager = manager;
        Random random = new Random(seed);
        int e = config.embedDim();
        int d = config.predictorEmbedDim();
        int a = config.actionEmbedDim();
        predictorEmbed = new Linear(manager, random, e, d, true);
        actionEncoder = new Linear(manager, random, a, d, true);
        stateEncoder = new Linear(manager, random, a, d, true);
        extrinsicsEncoder = new Linear(manager, random, Math.max(1, a - 1), d, true);
        List<AcBlock> list = new ArrayList<>();
        for (int i = 0; i < config.depth(); i++) {
            list.add(new AcBlock(manager, random, config, i + 1));
        }
        blocks = Collections.unmodifiableList(list);
        predictorNorm = new LayerNorm(manager, d, AcBlock.EPS);
        predictorProj = new Linear(manager, random, d, e, true);
        if (!config.useExtrinsics()) {
            extrinsicsEncoder.setTrainable(false);
        }
    }

    /**
     * Returns the hyper-parameters.
     *
     * @return returns the hyper-parameters
     */
    public AcPredictorConfig config() {
        return config;
    }

    /**
     * Predicts the next frame's tokens for every step.
     *
     * @param tokens encoder tokens of frames {@code 0..T-1}, {@code [B, T*H*W, E]} (time-major, rows then columns)
     * @param actions {@code [B, T, A]}, the action taken after frame t
     * @param states {@code [B, T, A]}, the state at frame t
     * @param extrinsics {@code [B, T, A-1]} with {@code use_extrinsics}, else null (ignored)
     * @return {@code [B, T*H*W, E]}: step t's output predicts frame t+1's tokens
     * @throws IllegalArgumentException naming the input whose shape does not fit
     */
    public NDArray forward(NDArray tokens, NDArray actions, NDArray states, NDArray extrinsics) {
        int hw = config.tokensPerFrame();
        int k = config.conditioningTokens();
        int d = config.predictorEmbedDim();
        Shape ts = tokens.getShape();
        if (ts.dimension() != 3 || ts.get(2) != config.embedDim() || ts.get(1) % hw != 0 || ts.get(1) == 0) {
            throw new IllegalArgumentException("tokens must be [B, T*" + hw + ", " + config.embedDim() + "] ("
                    + config.gridHeight() + " x " + config.gridWidth() + " tokens per frame), got " + ts);
        }
        long b = ts.get(0);
        int t = (int) (ts.get(1) / hw);
        if (t > config.maxSteps()) {
            throw new IllegalArgumentException("tokens hold " + t + " steps, more than the configured maximum "
                    + config.maxSteps() + " (num_frames " + config.numFrames() + " / tubelet_size "
                    + config.tubeletSize() + ")");
        }
        NDList perStep = new NDList();
        for (NDArray c : conditioning(actions, states, extrinsics, b, t)) {
            perStep.add(c.expandDims(2)); // [B, T, 1, D]
        }
        perStep.add(predictorEmbed.forward(tokens).reshape(b, t, hw, d)); // [B, T, H*W, D]
        NDArray x = NDArrays.concat(perStep, 2).reshape(b, (long) t * (k + hw), d); // [B, T*(K+H*W), D]
        StepTables st = tablesFor(t);
        for (AcBlock blk : blocks) {
            x = blk.forward(x, st.rope(), st.mask()); // [B, T*(K+H*W), D]
        }
        NDArray patches = x.reshape(b, t, k + hw, d).split(new long[] {k}, 2).get(1); // [B, T, H*W, D]
        x = patches.reshape(b, (long) t * hw, d); // [B, T*H*W, D]
        NDArray out = predictorProj.forward(predictorNorm.forward(x)); // [B, T*H*W, E]
        return config.residual() ? tokens.add(out) : out; // [B, T*H*W, E]: frame t + change with residual
    }

    /**
     * Starts an incremental run: an empty cache for {@link #forwardStep}.
     *
     * @return a cache holding no step yet
     */
    public AcStepCache newStepCache() {
        return new AcStepCache(blocks.size());
    }

    /**
     * Feeds one more step and predicts the next frame's tokens, attending over the steps cached so far: the output
     * equals step t's output of {@link #forward} on all steps {@code 0..t} (to float rounding), but only this step's
     * {@code K + H*W} tokens are computed. This is how a planner rolls out imagined frames autoregressively.
     *
     * @param cache the run's cache (step t = {@code cache.steps()}); this step's keys and values are appended
     * @param tokens encoder tokens of frame t {@code [B, H*W, E]}
     * @param actions {@code [B, 1, A]}, the action taken after frame t
     * @param states {@code [B, 1, A]}, the state at frame t
     * @param extrinsics {@code [B, 1, A-1]} with {@code use_extrinsics}, else null (ignored)
     * @return {@code [B, H*W, E]}: the prediction of frame t+1's tokens
     * @throws IllegalArgumentException naming the input whose shape does not fit, or when the cache is full
     */
    public NDArray forwardStep(AcStepCache cache, NDArray tokens, NDArray actions, NDArray states,
            NDArray extrinsics) {
        int hw = config.tokensPerFrame();
        int k = config.conditioningTokens();
        Shape ts = tokens.getShape();
        if (ts.dimension() != 3 || ts.get(1) != hw || ts.get(2) != config.embedDim()) {
            throw new IllegalArgumentException("tokens of one step must be [B, " + hw + ", " + config.embedDim()
                    + "], got " + ts);
        }
        long b = ts.get(0);
        int t = cache.steps();
        if (t >= config.maxSteps()) {
            throw new IllegalArgumentException("the cache already holds " + t + " steps, the configured maximum ("
                    + "num_frames " + config.numFrames() + " / tubelet_size " + config.tubeletSize() + ")");
        }
        if (t > 0 && cache.batchSize() != b) {
            throw new IllegalArgumentException("tokens have batch " + b + " but the cached steps have batch "
                    + cache.batchSize());
        }
        NDList parts = conditioning(actions, states, extrinsics, b, 1); // K x [B, 1, D]
        parts.add(predictorEmbed.forward(tokens)); // [B, H*W, D]
        NDArray x = NDArrays.concat(parts, 1); // [B, K+H*W, D]
        Rope3D rope = ropeOfStep(t);
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forwardStep(x, rope, cache.layer(i)); // [B, K+H*W, D]
        }
        cache.advance();
        NDArray patches = x.get(":, " + k + ":, :"); // [B, H*W, D]
        NDArray out = predictorProj.forward(predictorNorm.forward(patches)); // [B, H*W, E]
        return config.residual() ? tokens.add(out) : out; // [B, H*W, E]: frame t + change with residual
    }

    /** The cached RoPE tables of step t's K + H*W tokens (null without RoPE). */
    private synchronized Rope3D ropeOfStep(int t) {
        if (!config.useRope()) {
            return null;
        }
        Rope3D r = stepRope.get(t);
        if (r == null) {
            DataType type = predictorEmbed.weight().getDataType();
            float[] all = positions(t + 1);
            int per = 3 * (config.conditioningTokens() + config.tokensPerFrame());
            float[] last = java.util.Arrays.copyOfRange(all, all.length - per, all.length);
            r = Rope3D.forPositions(manager, last, config.headDim(), type);
            stepRope.put(t, r);
        }
        return r;
    }

    /**
     * The conditioning tokens of T steps, checked: action, state and (with {@code use_extrinsics}) extrinsics
     * embeddings, each {@code [B, T, D]}.
     */
    private NDList conditioning(NDArray actions, NDArray states, NDArray extrinsics, long b, int t) {
        checkCondition("actions", actions, b, t, config.actionEmbedDim());
        checkCondition("states", states, b, t, config.actionEmbedDim());
        NDList out = new NDList();
        out.add(actionEncoder.forward(actions)); // [B, T, D]
        out.add(stateEncoder.forward(states)); // [B, T, D]
        if (config.useExtrinsics()) {
            if (extrinsics == null) {
                throw new IllegalArgumentException("use_extrinsics is set: extrinsics [B, " + t + ", "
                        + (config.actionEmbedDim() - 1) + "] are required");
            }
            checkCondition("extrinsics", extrinsics, b, t, config.actionEmbedDim() - 1);
            out.add(extrinsicsEncoder.forward(extrinsics)); // [B, T, D]
        }
        return out;
    }

    private static void checkCondition(String name, NDArray a, long b, int t, int dim) {
        Shape s = a == null ? null : a.getShape();
        if (s == null || s.dimension() != 3 || s.get(0) != b || s.get(1) != t || s.get(2) != dim) {
            throw new IllegalArgumentException(name + " must be [" + b + ", " + t + ", " + dim + "] (batch, steps, "
                    + "dimension) for tokens of " + t + " steps, got " + s);
        }
    }

    /** The cached RoPE tables and mask of T steps, built on first use outside any per-step scope. */
    private synchronized StepTables tablesFor(int t) {
        StepTables st = tables.get(t);
        if (st == null) {
            DataType type = predictorEmbed.weight().getDataType();
            Rope3D rope = config.useRope() ? Rope3D.forPositions(manager, positions(t), config.headDim(), type)
                    : null;
            NDArray mask = null;
            if (config.isFrameCausal()) {
                float[] m = blockCausalMask(t, config.conditioningTokens() + config.tokensPerFrame());
                int n = (int) Math.round(Math.sqrt(m.length));
                try (NDManager scratch = manager.newSubManager()) {
                    NDArray f = scratch.create(m, new Shape(n, n));
                    mask = type == DataType.FLOAT32 ? f.duplicate() : f.toType(type, true);
                    mask.attach(manager);
                }
                NDScope.unregister(mask);
            }
            st = new StepTables(rope, mask);
            tables.put(t, st);
        }
        return st;
    }

    /** (time, row, column) of every token of a T-step sequence, conditioning tokens at (t, 0, 0). */
    private float[] positions(int t) {
        int k = config.conditioningTokens();
        int gh = config.gridHeight();
        int gw = config.gridWidth();
        // reference: spatial positions snapped to the grid size (the grid height): rows * gh/H, columns * gh/W
        float rowScale = (float) ((double) gh / gh);
        float colScale = (float) ((double) gh / gw);
        int perStep = k + gh * gw;
        float[] pos = new float[3 * t * perStep];
        int i = 0;
        for (int s = 0; s < t; s++) {
            for (int c = 0; c < k; c++) {
                pos[i++] = s;
                pos[i++] = 0f;
                pos[i++] = 0f;
            }
            for (int r = 0; r < gh; r++) {
                for (int col = 0; col < gw; col++) {
                    pos[i++] = s;
                    pos[i++] = (float) r * rowScale;
                    pos[i++] = (float) col * colScale;
                }
            }
        }
        return pos;
    }

    /**
     * The reference's {@code build_action_block_causal_attention_mask} as an additive mask: token i may attend
     * token j (0) when j's step is at most i's, else -inf.
     *
     * @param steps T
     * @param tokensPerStep K + H*W
     * @return row-major {@code [T*(K+H*W)]^2} values
     */
    static float[] blockCausalMask(int steps, int tokensPerStep) {
        int n = steps * tokensPerStep;
        float[] m = new float[n * n];
        for (int i = 0; i < n; i++) {
            int si = i / tokensPerStep;
            for (int j = 0; j < n; j++) {
                m[i * n + j] = j / tokensPerStep <= si ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
        return m;
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        predictorEmbed.collectParameters(prefix + "predictor_embed.", out);
        actionEncoder.collectParameters(prefix + "action_encoder.", out);
        stateEncoder.collectParameters(prefix + "state_encoder.", out);
        extrinsicsEncoder.collectParameters(prefix + "extrinsics_encoder.", out);
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).collectParameters(prefix + "predictor_blocks." + i + ".", out);
        }
        predictorNorm.collectParameters(prefix + "predictor_norm.", out);
        predictorProj.collectParameters(prefix + "predictor_proj.", out);
    }

    /**
     * The parameters training updates: all but {@code extrinsics_encoder.*} unless {@code use_extrinsics} (the
     * reference's optimizer never sees a gradient for it, so it never moves).
     *
     * @return name to live parameter, in order
     */
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> out = new LinkedHashMap<>(parameters());
        if (!config.useExtrinsics()) {
            out.keySet().removeIf(n -> n.startsWith("extrinsics_encoder."));
        }
        return out;
    }

    /**
     * Loads a released (reference) checkpoint: a {@code torch.save} file whose {@code predictor} entry holds the
     * state dict (keys possibly prefixed {@code module.} and/or {@code backbone.}), or a flat state dict.
     *
     * @param ptFile the {@code .pt} / {@code .pth} file
     * @param scratch a manager for temporaries (released before returning)
     * @throws IOException if the file cannot be read
     * @throws org.jepa4j.core.model.WeightMismatchException naming every missing, unknown and mis-shaped tensor
     */
    public void loadReference(Path ptFile, NDManager scratch) throws IOException {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(ptFile)) {
            String entry = ckpt.keys().contains("predictor") ? "predictor" : null;
            ReferenceWeights.load(this, ckpt, entry, scratch);
        }
    }

    /**
     * Builds a predictor from a released checkpoint and its configuration.
     *
     * @param ptFile the {@code .pt} file (see {@link #loadReference(Path, NDManager)})
     * @param config the hyper-parameters the weights were trained with
     * @param manager owner of the parameters
     * @return the loaded predictor
     * @throws IOException if the file cannot be read
     */
    public static ActionConditionedPredictor fromReference(Path ptFile, AcPredictorConfig config, NDManager manager)
            throws IOException {
        ActionConditionedPredictor p = new ActionConditionedPredictor(config, manager, 0L);
        p.loadReference(ptFile, manager);
        return p;
    }

    /**
     * Opens predictor weights of either kind: a released {@code .pt} / {@code .pth} checkpoint (needs
     * {@code config}) or jepa4j's own safetensors file (its configuration is inside; a given {@code config} must
     * then be equal).
     *
     * @param weights the weights file
     * @param config the hyper-parameters, or null for jepa4j's own file
     * @param manager owner of the parameters
     * @return the predictor
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file when the configuration is missing or disagrees
     */
    public static ActionConditionedPredictor open(Path weights, AcPredictorConfig config, NDManager manager)
            throws IOException {
        String name = weights.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            ActionConditionedPredictor p = load(weights, manager);
            if (config != null && !config.equals(p.config())) {
                throw new IllegalArgumentException(weights + " was saved with " + p.config().toMap()
                        + ", which differs from the given configuration " + config.toMap());
            }
            return p;
        }
        if (config == null) {
            throw new IllegalArgumentException(weights + ": a PyTorch checkpoint holds no predictor configuration; "
                    + "give one (JSON or YAML with the reference constructor's names)");
        }
        return fromReference(weights, config, manager);
    }

    /**
     * Writes jepa4j's own format atomically: one safetensors file of the parameters (reference names) with the
     * configuration JSON in its metadata under {@value #CONFIG_METADATA}.
     *
     * @param file the destination
     * @throws IOException if writing fails
     */
    public void save(Path file) throws IOException {
        SafeTensors.write(file, parameters(), Map.of(CONFIG_METADATA, config.toJson()));
    }

    /**
     * Reads a file written by {@link #save(Path)}.
     *
     * @param file the safetensors file
     * @param manager owner of the parameters
     * @return the predictor
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it has no configuration; a
     *     {@link org.jepa4j.core.model.WeightMismatchException} naming every tensor at fault
     */
    public static ActionConditionedPredictor load(Path file, NDManager manager) throws IOException {
        try (SafeTensorsReader reader = SafeTensors.open(file)) {
            String json = reader.metadata() == null ? null : reader.metadata().get(CONFIG_METADATA);
            if (json == null) {
                throw new IllegalArgumentException(file + ": no '" + CONFIG_METADATA + "' metadata: not a jepa4j "
                        + "action-conditioned predictor file (a released .pt loads with fromReference)");
            }
            AcPredictorConfig config = AcPredictorConfig.fromJson(json, file + " [" + CONFIG_METADATA + "]");
            ActionConditionedPredictor p = new ActionConditionedPredictor(config, manager, 0L);
            try (NDManager tmp = manager.newSubManager()) {
                StateDict.load(p, reader.loadAll(tmp), file.toString());
            }
            return p;
        }
    }
}
