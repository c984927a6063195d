package org.jepa4j.core.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.model.AttentiveClassifier;
import org.jepa4j.core.model.Module;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.PredictorConfig;
import org.jepa4j.core.model.StateDict;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;

/**
 * Loads Hugging Face model directories ({@code config.json} + {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json}):
 * {@code VJEPA2Model} / {@code VJEPA2ForVideoClassification} ({@code model_type "vjepa2"}) and
 * {@code IJepaModel} ({@code model_type "ijepa"}). Every hyper-parameter comes from {@code config.json}
 * (note {@code layer_norm_eps} is 1e-12 for IJepaModel). Separate query/key/value projections are
 * concatenated into our fused {@code qkv} (and pooler key/value into {@code kv}); V-JEPA 2 mask tokens
 * {@code [M, 1, 1, D]} become {@code mask_tokens.i}. Missing, unknown or mis-shaped tensors raise one
 * {@link org.jepa4j.core.model.WeightMismatchException} listing all of them.
 */
public final class HfCheckpoints {

    private HfCheckpoints() {}

    /**
     * Loads a V-JEPA 2 directory.
     *
     * @param dir directory with config.json and model.safetensors (or a sharded index and its shards)
     * @param manager owner of the model parameters
     * @return encoder, predictor and (for VJEPA2ForVideoClassification) the classifier
     * @throws IOException if a file is missing or unreadable
     * @throws IllegalArgumentException for another model type, a bad configuration or mismatched weights
     */
    public static VJepa2Checkpoint loadVJepa2(Path dir, NDManager manager) throws IOException {
        HfConfig cfg = HfConfig.read(dir);
        cfg.requireModelType("vjepa2");
        cfg.requireExactGelu();
        VitConfig vit = vjepa2EncoderConfig(cfg);
        PredictorConfig pred = PredictorConfig.builder(vit)
                .setWidth(cfg.getInt("pred_hidden_size"))
                .setDepth(cfg.getInt("pred_num_hidden_layers"))
                .setNumHeads(cfg.getInt("pred_num_attention_heads"))
                .optMlpRatio(cfg.optDouble("pred_mlp_ratio", 4.0))
                .optNumMaskTokens(cfg.getInt("pred_num_mask_tokens"))
                .optZeroInitMaskTokens(cfg.optBoolean("pred_zero_init_mask_tokens", true))
                .optQkvBias(vit.qkvBias())
                .optPositionKind(PositionKind.ROPE_3D)
                .optSortTokens(true)
                .build();
        try (NDManager tmp = manager.newSubManager()) {
            HfWeights.Loaded weights = HfWeights.load(dir, tmp);
            Map<String, NDArray> raw = weights.tensors();
            boolean classification = cfg.hasArchitecture("VJEPA2ForVideoClassification")
                    || raw.keySet().stream().anyMatch(k -> k.startsWith("vjepa2."));
            Random random = new Random(0);
            VisionTransformer encoder = new VisionTransformer(vit, manager, random);
            Predictor predictor = new Predictor(pred, manager, random);
            AttentiveClassifier classifier = null;
            if (classification) {
                classifier = new AttentiveClassifier(manager, random, vit.width(), vit.numHeads(),
                        cfg.optInt("num_pooler_layers", 3), Math.max(1, cfg.numLabels()), vit.layerNormEps());
            }
            Map<String, NDArray> source = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : raw.entrySet()) {
                String name = classification && e.getKey().startsWith("vjepa2.")
                        ? e.getKey().substring("vjepa2.".length()) : e.getKey();
                if (name.equals("predictor.embeddings.mask_tokens") && e.getValue().getShape().dimension() == 4) {
                    NDArray tokens = e.getValue(); // [M, 1, 1, D]
                    for (int i = 0; i < tokens.getShape().get(0); i++) {
                        source.put(name + "." + i, tokens.get(i)); // [1, 1, D]
                    }
                } else {
                    source.put(name, e.getValue());
                }
            }
            NameMapper.Result mapped = vjepa2Names().apply(source);
            AttentiveClassifier probe = classifier;
            Module all = (prefix, out) -> {
                encoder.collectParameters(prefix + "encoder.", out);
                predictor.collectParameters(prefix + "predictor.", out);
                if (probe != null) {
                    probe.collectParameters(prefix, out);
                }
            };
            StateDict.load(all, mapped.tensors(), weights.origin(), mapped.missing(), mapped.unknown());
            return new VJepa2Checkpoint(encoder, predictor, classifier,
                    classification ? cfg.labels() : new String[0]);
        }
    }

    /**
     * Loads an {@code IJepaModel} directory (learned position embeddings, image input {@code [B, C, H, W]}).
     *
     * @param dir directory with config.json and model.safetensors (or a sharded index and its shards)
     * @param manager owner of the parameters
     * @return the encoder
     * @throws IOException if a file is missing or unreadable
     * @throws IllegalArgumentException for another model type, a bad configuration or mismatched weights
     */
    public static VisionTransformer loadIJepa(Path dir, NDManager manager) throws IOException {
        HfConfig cfg = HfConfig.read(dir);
        cfg.requireModelType("ijepa");
        cfg.requireExactGelu();
        int width = cfg.getInt("hidden_size");
        VitConfig vit = VitConfig.builder()
                .setWidth(width)
                .setDepth(cfg.getInt("num_hidden_layers"))
                .setNumHeads(cfg.getInt("num_attention_heads"))
                .optMlpRatio(cfg.getInt("intermediate_size") / (double) width)
                .optPatchSize(cfg.getInt("patch_size"))
                .optImageSize(cfg.getInt("image_size"))
                .optFrames(1)
                .optInChannels(cfg.optInt("num_channels", 3))
                .optQkvBias(cfg.optBoolean("qkv_bias", true))
                .optLayerNormEps((float) cfg.getDouble("layer_norm_eps"))
                .optPositionKind(PositionKind.LEARNED)
                .build();
        if (vit.mlpHidden() != cfg.getInt("intermediate_size")) {
            throw new IllegalArgumentException(cfg.file() + ": intermediate_size " + cfg.getInt("intermediate_size")
                    + " is not a multiple of hidden_size we can represent");
        }
        try (NDManager tmp = manager.newSubManager()) {
            HfWeights.Loaded weights = HfWeights.load(dir, tmp);
            Map<String, NDArray> raw = weights.tensors();
            VisionTransformer encoder = new VisionTransformer(vit, manager, new Random(0));
            NameMapper.Result mapped = ijepaNames().apply(raw);
            StateDict.load(encoder, mapped.tensors(), weights.origin(), mapped.missing(), mapped.unknown());
            return encoder;
        }
    }

    /**
     * Builds the encoder configuration of a V-JEPA 2 {@code config.json}.
     *
     * @param cfg the parsed configuration
     * @return the encoder configuration (3D RoPE)
     */
    public static VitConfig vjepa2EncoderConfig(HfConfig cfg) {
        return VitConfig.builder()
                .setWidth(cfg.getInt("hidden_size"))
                .setDepth(cfg.getInt("num_hidden_layers"))
                .setNumHeads(cfg.getInt("num_attention_heads"))
                .optMlpRatio(cfg.optDouble("mlp_ratio", 4.0))
                .optPatchSize(cfg.getInt("patch_size"))
                .optTubeletSize(cfg.getInt("tubelet_size"))
                .optFrames(cfg.getInt("frames_per_clip"))
                .optImageSize(cfg.getInt("crop_size"))
                .optInChannels(cfg.optInt("in_chans", 3))
                .optQkvBias(cfg.optBoolean("qkv_bias", true))
                .optLayerNormEps((float) cfg.getDouble("layer_norm_eps"))
                .optPositionKind(PositionKind.ROPE_3D)
                .build();
    }

    private static NameMapper vjepa2Names() {
        NameMapper m = new NameMapper();
        for (String part : new String[] {"encoder", "predictor"}) {
            String layer = part + "\\.layer\\.(\\d+)\\.";
            String blocks = part + (part.equals("encoder") ? ".blocks.$1." : ".predictor_blocks.$1.");
            m.fuse(layer + "attention\\.(query|key|value)\\.(weight|bias)", blocks + "attn.qkv.$3", 2,
                    "query", "key", "value")
                    .rename(layer + "attention\\.proj\\.(weight|bias)", blocks + "attn.proj.$2")
                    .rename(layer + "(norm1|norm2)\\.(weight|bias)", blocks + "$2.$3")
                    .rename(layer + "mlp\\.(fc1|fc2)\\.(weight|bias)", blocks + "mlp.$2.$3");
        }
        String self = "pooler\\.self_attention_layers\\.(\\d+)\\.";
        String cross = "pooler\\.cross_attention_layer\\.";
        return m.rename("encoder\\.embeddings\\.patch_embeddings\\.proj\\.(weight|bias)", "encoder.patch_embed.proj.$1")
                .rename("encoder\\.layernorm\\.(weight|bias)", "encoder.norm.$1")
                .rename("predictor\\.embeddings\\.predictor_embeddings\\.(weight|bias)", "predictor.predictor_embed.$1")
                .rename("predictor\\.embeddings\\.mask_tokens\\.(\\d+)", "predictor.mask_tokens.$1")
                .rename("predictor\\.layernorm\\.(weight|bias)", "predictor.predictor_norm.$1")
                .rename("predictor\\.proj\\.(weight|bias)", "predictor.predictor_proj.$1")
                .rename("pooler\\.query_tokens", "pooler.query_tokens")
                .rename(self + "layer_norm(1|2)\\.(weight|bias)", "pooler.blocks.$1.norm$2.$3")
                .fuse(self + "self_attn\\.(q|k|v)_proj\\.(weight|bias)", "pooler.blocks.$1.attn.qkv.$3", 2, "q", "k", "v")
                .rename(self + "self_attn\\.out_proj\\.(weight|bias)", "pooler.blocks.$1.attn.proj.$2")
                .rename(self + "mlp\\.(fc1|fc2)\\.(weight|bias)", "pooler.blocks.$1.mlp.$2.$3")
                .rename(cross + "layer_norm(1|2)\\.(weight|bias)", "pooler.cross_attention_block.norm$1.$2")
                .rename(cross + "cross_attn\\.q_proj\\.(weight|bias)", "pooler.cross_attention_block.xattn.q.$1")
                .fuse(cross + "cross_attn\\.(k|v)_proj\\.(weight|bias)", "pooler.cross_attention_block.xattn.kv.$2", 1,
                        "k", "v")
                .rename(cross + "mlp\\.(fc1|fc2)\\.(weight|bias)", "pooler.cross_attention_block.mlp.$1.$2")
                .rename("classifier\\.(weight|bias)", "linear.$1");
    }

    private static NameMapper ijepaNames() {
        String layer = "encoder\\.layer\\.(\\d+)\\.";
        return new NameMapper()
                .rename("embeddings\\.patch_embeddings\\.projection\\.(weight|bias)", "patch_embed.proj.$1")
                .rename("embeddings\\.position_embeddings", "pos_embed")
                .fuse(layer + "attention\\.attention\\.(query|key|value)\\.(weight|bias)", "blocks.$1.attn.qkv.$3", 2,
                        "query", "key", "value")
                .rename(layer + "attention\\.output\\.dense\\.(weight|bias)", "blocks.$1.attn.proj.$2")
                .rename(layer + "intermediate\\.dense\\.(weight|bias)", "blocks.$1.mlp.fc1.$2")
                .rename(layer + "output\\.dense\\.(weight|bias)", "blocks.$1.mlp.fc2.$2")
                .rename(layer + "layernorm_before\\.(weight|bias)", "blocks.$1.norm1.$2")
                .rename(layer + "layernorm_after\\.(weight|bias)", "blocks.$1.norm2.$2")
                .rename("layernorm\\.(weight|bias)", "norm.$1");
    }
}
