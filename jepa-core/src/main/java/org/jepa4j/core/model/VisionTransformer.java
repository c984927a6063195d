package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.tensor.ParameterType;

/**
 * Vision Transformer encoder of I-JEPA, V-JEPA and V-JEPA 2: patch/tubelet embedding, positions (fixed or
 * learned tables added to the tokens, or 3D RoPE inside attention), pre-norm blocks and a final LayerNorm.
 * No CLS token.
 *
 * <p>Parameter names: {@code patch_embed.proj.weight/bias}, {@code pos_embed} (LEARNED only),
 * {@code blocks.i.{norm1,attn.qkv,attn.proj,norm2,mlp.fc1,mlp.fc2}.weight/bias}, {@code norm.weight/bias}.
 * Fixed sin-cos tables are buffers, not parameters. Parameters, buffers and computations use the
 * {@link ParameterType} in force at construction (float32 by default, or float16); pixels are float32 in all cases.
 */
public final class VisionTransformer implements Module {

    private final VitConfig config;
    private final PatchEmbedding patchEmbed;
    private final TokenPositions positions; // tables added to the tokens, or RoPE tables
    private final List<Block> blocks;
    private final LayerNorm norm;
    private final DataType dataType; // of parameters, buffers and activations

    /**
     * Creates an encoder with the reference initialization from a seed.
     *
     * @param config hyper-parameters
     * @param manager owner of all parameters and buffers
     * @param seed seed of the initial weights
     */
    public VisionTransformer(VitConfig config, NDManager manager, long seed) {
        this(config, manager, new Random(seed));
    }

    /**
     * Creates an encoder with the reference initialization: trunc-normal (std 0.02) Linear and patch weights,
     * zero biases, LayerNorm 1/0, then {@code attn.proj.weight} and {@code mlp.fc2.weight} of block i
     * (1-based) divided by {@code sqrt(2 i)}.
     *
     * @param config hyper-parameters
     * @param manager owner of all parameters and buffers
     * @param random source of the initial weights
     */
    public VisionTransformer(VitConfig config, NDManager manager, Random random) {
        this.config = config;
        this.dataType = ParameterType.current();
        patchEmbed = new PatchEmbedding(manager, random, config);
        int d = config.width();
        positions = new TokenPositions(manager, random, config.positionKind(), config.grid(), d, config.headDim(),
                config.uniformPower());
        blocks = Block.stack(manager, random, config.depth(), d, config.numHeads(), config.mlpHidden(),
                config.qkvBias(), config.layerNormEps());
        norm = new LayerNorm(manager, d, config.layerNormEps());
    }

    /**
     * Encodes all tokens.
     *
     * @param input {@code [B, C, T, H, W]} video or {@code [B, C, H, W]} image
     * @return {@code [B, N, D]} after the final LayerNorm
     */
    public NDArray forward(NDArray input) {
        return forward(input, null);
    }

    /**
     * Encodes the kept tokens only (the context encoder of JEPA training).
     *
     * @param input {@code [B, C, T, H, W]} video or {@code [B, C, H, W]} image (float32)
     * @param keepIds null for all tokens, or int64 {@code [B, K]} token ids {@code t*H*W + h*W + w}
     * @return {@code [B, N or K, D]} after the final LayerNorm, tokens in the order of {@code keepIds}
     * @throws IllegalArgumentException if the input or ids do not fit the configuration
     */
    public NDArray forward(NDArray input, NDArray keepIds) {
        TokenGrid grid = gridOf(input);
        grid.checkIds(keepIds, input.getShape().get(0), "keepIds");
        NDArray x = patchEmbed.forward(input, grid, keepIds); // [B, K, D]
        x = positions.addTo(x, keepIds, grid); // [B, K, D] + table rows (sin-cos / learned kinds)
        try (Rope3D rope = positions.rope(keepIds, grid)) { // [B or 1, 1, K, hd] (RoPE kind), else null
            for (Block block : blocks) {
                x = block.forward(x, rope); // [B, K, D]
            }
        }
        return norm.forward(x);
    }

    /**
     * Returns the token grid of an input, validating its rank, channels and divisibility.
     *
     * @param input pixels {@code [B, C, T, H, W]} or {@code [B, C, H, W]}
     * @return the grid of tokens the input makes
     * @throws IllegalArgumentException naming the wrong dimension
     */
    public TokenGrid gridOf(NDArray input) {
        Shape s = input.getShape();
        int rank = config.isVideo() ? 5 : 4;
        String layout = config.isVideo() ? "[B, C, T, H, W] (video model)" : "[B, C, H, W] (image model)";
        if (s.dimension() != rank) {
            throw new IllegalArgumentException("Encoder input must be " + layout + ", got shape " + s);
        }
        if (input.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("Encoder input must be float32, got " + input.getDataType());
        }
        if (s.get(1) != config.inChannels()) {
            throw new IllegalArgumentException("Encoder input has " + s.get(1) + " channels, expected "
                    + config.inChannels() + " (shape " + s + ", layout " + layout + ")");
        }
        long h = s.get(rank - 2);
        long w = s.get(rank - 1);
        int p = config.patchSize();
        if (h % p != 0 || w % p != 0) {
            throw new IllegalArgumentException("Input height x width " + h + "x" + w
                    + " is not divisible by the patch size " + p + " (shape " + s + ")");
        }
        int depth = 1;
        if (config.isVideo()) {
            long t = s.get(2);
            if (t % config.tubeletSize() != 0) {
                throw new IllegalArgumentException("Input frames " + t + " are not divisible by the tubelet size "
                        + config.tubeletSize() + " (shape " + s + ")");
            }
            depth = (int) (t / config.tubeletSize());
        }
        return new TokenGrid(depth, (int) (h / p), (int) (w / p));
    }

    /**
     * Returns the configuration.
     *
     * @return the configuration
     */
    public VitConfig config() {
        return config;
    }

    /**
     * Returns the type of the parameters and of the output features (the {@link ParameterType} at creation).
     *
     * @return the type of the parameters and of the output features (the {@link ParameterType} at creation)
     */
    public DataType dataType() {
        return dataType;
    }

    /**
     * Returns the blocks (read-only list).
     *
     * @return the blocks (read-only list)
     */
    public List<Block> blocks() {
        return blocks;
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        patchEmbed.collectParameters(prefix + "patch_embed.proj.", out);
        if (positions.learnedTable() != null) {
            out.put(prefix + "pos_embed", positions.learnedTable());
        }
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).collectParameters(prefix + "blocks." + i + ".", out);
        }
        norm.collectParameters(prefix + "norm.", out);
    }
}
