package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code model} section: encoder size, predictor size and JEPA variant.
 *
 * <p>{@code model_name} picks a standard ViT size (see {@link #SIZES}); {@code embed_dim}, {@code depth},
 * {@code num_heads} and {@code mlp_ratio} override it, and are required when {@code model_name} is
 * {@code custom}. The resolved record always holds explicit numbers.
 *
 * @param variant {@link ModelVariant#VJEPA} (3D sin-cos positions), {@link ModelVariant#VJEPA2} (3D RoPE) or
 *     {@link ModelVariant#IJEPA} (2D sin-cos)
 * @param modelName {@code vit_tiny|vit_small|vit_base|vit_large|vit_huge|vit_giant|custom}
 * @param embedDim encoder width
 * @param depth encoder blocks
 * @param numHeads encoder attention heads
 * @param mlpRatio MLP hidden width / embed dim
 * @param inChans input channels (3 for RGB)
 * @param predDepth predictor blocks
 * @param predEmbedDim predictor width
 * @param predNumHeads predictor attention heads (reference: the encoder's head count)
 * @param useMaskTokens learned mask tokens (else zeros)
 * @param numMaskTokens number of distinct mask tokens (reference: one per mask set)
 * @param zeroInitMaskTokens initialize mask tokens to zero (default: true, as V-JEPA's configs; false for variant
 *     {@code ijepa}, whose predictor draws its mask token from a truncated normal of std 0.02)
 * @param uniformPower V-JEPA 3D sin-cos: give t, h and w equal channel shares
 */
public record ModelConfig(
        ModelVariant variant,
        String modelName,
        int embedDim,
        int depth,
        int numHeads,
        double mlpRatio,
        int inChans,
        int predDepth,
        int predEmbedDim,
        int predNumHeads,
        boolean useMaskTokens,
        int numMaskTokens,
        boolean zeroInitMaskTokens,
        boolean uniformPower) {

    static final String S = "model";

    /**
     * A standard encoder size.
     *
     * @param embedDim token width D (channels of every block's input and output)
     * @param depth number of transformer blocks
     * @param numHeads attention heads per block (D must be a multiple of it)
     * @param mlpRatio hidden width of each block's MLP as a multiple of D (4.0, or 48/11 for ViT-g)
     */
    public record Size(int embedDim, int depth, int numHeads, double mlpRatio) {
    }

    /** Standard ViT sizes (width, depth, heads, mlp ratio) as in the reference implementations. */
    public static final Map<String, Size> SIZES = Map.of(
            "vit_tiny", new Size(192, 12, 3, 4.0),
            "vit_small", new Size(384, 12, 6, 4.0),
            "vit_base", new Size(768, 12, 12, 4.0),
            "vit_large", new Size(1024, 24, 16, 4.0),
            "vit_huge", new Size(1280, 32, 16, 4.0),
            "vit_giant", new Size(1408, 40, 16, 48.0 / 11.0));

    /** Validates every field; messages name the key path and the value. */
    public ModelConfig {
        Objects.requireNonNull(variant, S + ".variant");
        if (!modelName.equals("custom") && !SIZES.containsKey(modelName)) {
            String hint = YamlSection.closest(modelName, SIZES.keySet());
            throw new ConfigException(S + ".model_name", "unknown model '" + modelName + "'"
                    + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; known: "
                    + List.of("vit_tiny", "vit_small", "vit_base", "vit_large", "vit_huge", "vit_giant", "custom"));
        }
        Checks.positive(S + ".embed_dim", embedDim);
        Checks.positive(S + ".depth", depth);
        Checks.positive(S + ".num_heads", numHeads);
        Checks.positive(S + ".mlp_ratio", mlpRatio);
        Checks.positive(S + ".in_chans", inChans);
        Checks.positive(S + ".pred_depth", predDepth);
        Checks.positive(S + ".pred_embed_dim", predEmbedDim);
        Checks.positive(S + ".pred_num_heads", predNumHeads);
        Checks.nonNegative(S + ".num_mask_tokens", numMaskTokens);
        if (embedDim % numHeads != 0) {
            throw new ConfigException(S + ".embed_dim", "must be divisible by model.num_heads (" + numHeads
                    + "), got " + embedDim);
        }
        if (predEmbedDim % predNumHeads != 0) {
            throw new ConfigException(S + ".pred_embed_dim", "must be divisible by model.pred_num_heads ("
                    + predNumHeads + "), got " + predEmbedDim);
        }
    }

    /**
     * V-JEPA ViT-L/16 model: width 1024, depth 24, 16 heads; predictor depth 12, width 384.
     *
     * @return V-JEPA ViT-L/16 model: width 1024, depth 24, 16 heads; predictor depth 12, width 384
     */
    public static ModelConfig defaults() {
        return new ModelConfig(ModelVariant.VJEPA, "vit_large", 1024, 24, 16, 4.0, 3, 12, 384, 16, true, 2, true, true);
    }

    /**
     * Encoder head dimension.
     *
     * @return encoder head dimension
     */
    public int headDim() {
        return embedDim / numHeads;
    }

    static ModelConfig from(YamlSection y) {
        ModelConfig d = defaults();
        ModelVariant variant = ModelVariant.parse(S + ".variant", y.string("variant", d.variant.yamlName()));
        String name = y.string("model_name", d.modelName);
        Size size = SIZES.get(name);
        Integer embed = y.optInteger("embed_dim");
        Integer depth = y.optInteger("depth");
        Integer heads = y.optInteger("num_heads");
        Double mlp = y.optNumber("mlp_ratio");
        if (size == null) {
            if (!name.equals("custom")) {
                // Let the constructor report the unknown name with its suggestion.
                size = new Size(1, 1, 1, 1);
            } else {
                requirePresent(y, "embed_dim", embed);
                requirePresent(y, "depth", depth);
                requirePresent(y, "num_heads", heads);
                size = new Size(embed, depth, heads, 4.0);
            }
        }
        int numHeads = heads != null ? heads : size.numHeads();
        ModelConfig out = new ModelConfig(variant, name,
                embed != null ? embed : size.embedDim(),
                depth != null ? depth : size.depth(),
                numHeads,
                mlp != null ? mlp : size.mlpRatio(),
                y.integer("in_chans", d.inChans),
                y.integer("pred_depth", d.predDepth),
                y.integer("pred_embed_dim", d.predEmbedDim),
                y.integer("pred_num_heads", numHeads),
                y.bool("use_mask_tokens", d.useMaskTokens),
                y.integer("num_mask_tokens", 0),
                y.bool("zero_init_mask_tokens", variant != ModelVariant.IJEPA && d.zeroInitMaskTokens),
                y.bool("uniform_power", d.uniformPower));
        y.finish();
        return out;
    }

    private static void requirePresent(YamlSection y, String key, Object value) {
        if (value == null) {
            throw new ConfigException(y.child(key), "required when model.model_name is custom, got nothing");
        }
    }

    /** Same record with {@code numMaskTokens} replaced (used to resolve 0 to the number of mask sets). */
    ModelConfig withNumMaskTokens(int n) {
        return new ModelConfig(variant, modelName, embedDim, depth, numHeads, mlpRatio, inChans, predDepth,
                predEmbedDim, predNumHeads, useMaskTokens, n, zeroInitMaskTokens, uniformPower);
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", variant.yamlName());
        m.put("model_name", modelName);
        m.put("embed_dim", embedDim);
        m.put("depth", depth);
        m.put("num_heads", numHeads);
        m.put("mlp_ratio", mlpRatio);
        m.put("in_chans", inChans);
        m.put("pred_depth", predDepth);
        m.put("pred_embed_dim", predEmbedDim);
        m.put("pred_num_heads", predNumHeads);
        m.put("use_mask_tokens", useMaskTokens);
        m.put("num_mask_tokens", numMaskTokens);
        m.put("zero_init_mask_tokens", zeroInitMaskTokens);
        m.put("uniform_power", uniformPower);
        return m;
    }
}
