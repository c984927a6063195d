package org.jepa4j.core.world;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Hyper-parameters of the {@link ActionConditionedPredictor}, under the names of the reference constructor
 * ({@code vit_ac_predictor} of facebookresearch/vjepa2): {@code img_size} (an int or {@code [height, width]}),
 * {@code patch_size}, {@code num_frames}, {@code tubelet_size}, {@code embed_dim}, {@code predictor_embed_dim},
 * {@code depth}, {@code num_heads}, {@code mlp_ratio}, {@code action_embed_dim}, {@code use_rope},
 * {@code is_frame_causal}, {@code use_extrinsics}, {@code use_silu}, {@code wide_silu}; and one jepa4j option the
 * reference lacks, {@code residual} (default false: the reference predictor).
 *
 * <p>The token grid of one frame is {@code (img_height / patch_size) x (img_width / patch_size)}; the predictor
 * takes up to {@code num_frames / tubelet_size} time steps (the size of the reference's attention mask).
 *
 * @param imgHeight frame height in pixels the encoder saw
 * @param imgWidth frame width in pixels
 * @param patchSize encoder patch size
 * @param numFrames frames of the longest clip (with {@code tubeletSize}: the maximum number of steps)
 * @param tubeletSize frames per step at construction (2 in the reference)
 * @param embedDim encoder token width E
 * @param predictorEmbedDim predictor width D
 * @param depth number of blocks
 * @param numHeads attention heads (dividing D)
 * @param mlpRatio MLP hidden width over D
 * @param actionEmbedDim action (and state) dimension A
 * @param useRope whether the blocks rotate queries and keys (3D RoPE)
 * @param isFrameCausal whether a step sees only steps up to its own (block-causal mask)
 * @param useExtrinsics whether an extrinsics token ({@code A-1} values per step) follows the state token
 * @param useSilu SwiGLU MLPs instead of GELU ones
 * @param wideSilu SwiGLU hidden width {@code 2/3} of the GELU one, rounded up to a multiple of 8
 * @param residual jepa4j's option, not the reference's: the predictor outputs a change, so the prediction of frame
 *     t+1 is frame t's input tokens plus the output ("delta" parameterisation; the identity, copying the last
 *     frame, is then the zero output). False (the default) is the reference predictor.
 */
public record AcPredictorConfig(
        int imgHeight,
        int imgWidth,
        int patchSize,
        int numFrames,
        int tubeletSize,
        int embedDim,
        int predictorEmbedDim,
        int depth,
        int numHeads,
        double mlpRatio,
        int actionEmbedDim,
        boolean useRope,
        boolean isFrameCausal,
        boolean useExtrinsics,
        boolean useSilu,
        boolean wideSilu,
        boolean residual) {

    private static final Set<String> KEYS = Set.of("img_size", "patch_size", "num_frames", "tubelet_size",
            "embed_dim", "predictor_embed_dim", "depth", "num_heads", "mlp_ratio", "action_embed_dim", "use_rope",
            "is_frame_causal", "use_extrinsics", "use_silu", "wide_silu", "residual");

    /** Validates the values (the message names the key at fault). */
    public AcPredictorConfig {
        positive("img_size", imgHeight);
        positive("img_size", imgWidth);
        positive("patch_size", patchSize);
        positive("num_frames", numFrames);
        positive("tubelet_size", tubeletSize);
        positive("embed_dim", embedDim);
        positive("predictor_embed_dim", predictorEmbedDim);
        positive("depth", depth);
        positive("num_heads", numHeads);
        positive("action_embed_dim", actionEmbedDim);
        if (imgHeight % patchSize != 0 || imgWidth % patchSize != 0) {
            throw new IllegalArgumentException("img_size [" + imgHeight + ", " + imgWidth
                    + "] is not divisible by patch_size " + patchSize);
        }
        if (numFrames < tubeletSize) {
            throw new IllegalArgumentException("num_frames " + numFrames + " is smaller than tubelet_size "
                    + tubeletSize + ": the predictor would take no step");
        }
        if (predictorEmbedDim % numHeads != 0) {
            throw new IllegalArgumentException("predictor_embed_dim " + predictorEmbedDim
                    + " is not divisible by num_heads " + numHeads);
        }
        int head = predictorEmbedDim / numHeads;
        if (useRope && (head % 2 != 0 || head < 6)) {
            throw new IllegalArgumentException("use_rope needs an even head width of at least 6, got "
                    + "predictor_embed_dim / num_heads = " + head);
        }
        if (!(mlpRatio > 0)) {
            throw new IllegalArgumentException("mlp_ratio must be > 0, got " + mlpRatio);
        }
        if (useExtrinsics && actionEmbedDim < 2) {
            throw new IllegalArgumentException("use_extrinsics needs action_embed_dim >= 2 (extrinsics have "
                    + "action_embed_dim - 1 values), got " + actionEmbedDim);
        }
    }

    /**
     * The reference predictor (no {@code residual} output) from the reference constructor's values.
     *
     * @param imgHeight frame height in pixels the encoder saw
     * @param imgWidth frame width in pixels
     * @param patchSize encoder patch size
     * @param numFrames frames of the longest clip
     * @param tubeletSize frames per step at construction
     * @param embedDim encoder token width E
     * @param predictorEmbedDim predictor width D
     * @param depth number of blocks
     * @param numHeads attention heads (dividing D)
     * @param mlpRatio MLP hidden width over D
     * @param actionEmbedDim action (and state) dimension A
     * @param useRope whether the blocks rotate queries and keys (3D RoPE)
     * @param isFrameCausal whether a step sees only steps up to its own (block-causal mask)
     * @param useExtrinsics whether an extrinsics token follows the state token
     * @param useSilu SwiGLU MLPs instead of GELU ones
     * @param wideSilu SwiGLU hidden width {@code 2/3} of the GELU one
     */
    public AcPredictorConfig(int imgHeight, int imgWidth, int patchSize, int numFrames, int tubeletSize,
            int embedDim, int predictorEmbedDim, int depth, int numHeads, double mlpRatio, int actionEmbedDim,
            boolean useRope, boolean isFrameCausal, boolean useExtrinsics, boolean useSilu, boolean wideSilu) {
        this(imgHeight, imgWidth, patchSize, numFrames, tubeletSize, embedDim, predictorEmbedDim, depth, numHeads,
                mlpRatio, actionEmbedDim, useRope, isFrameCausal, useExtrinsics, useSilu, wideSilu, false);
    }

    /**
     * The released V-JEPA 2-AC predictor (ViT-g encoder, 256 px, patch 16): depth 24, width 1024, 16 heads,
     * 7-D actions, 64 frames with tubelet 2 (up to 32 steps).
     *
     * @return the configuration
     */
    public static AcPredictorConfig released() {
        return new AcPredictorConfig(256, 256, 16, 64, 2, 1408, 1024, 24, 16, 4.0, 7, true, true, false, false,
                true);
    }

    /**
     * Token rows per frame, {@code img_height / patch_size}.
     *
     * @return token rows per frame, {@code img_height / patch_size}
     */
    public int gridHeight() {
        return imgHeight / patchSize;
    }

    /**
     * Token columns per frame, {@code img_width / patch_size}.
     *
     * @return token columns per frame, {@code img_width / patch_size}
     */
    public int gridWidth() {
        return imgWidth / patchSize;
    }

    /**
     * Patch tokens per frame, {@code H * W}.
     *
     * @return patch tokens per frame, {@code H * W}
     */
    public int tokensPerFrame() {
        return gridHeight() * gridWidth();
    }

    /**
     * The largest number of time steps, {@code num_frames / tubelet_size}.
     *
     * @return the largest number of time steps, {@code num_frames / tubelet_size}
     */
    public int maxSteps() {
        return numFrames / tubeletSize;
    }

    /**
     * Attention head width.
     *
     * @return attention head width
     */
    public int headDim() {
        return predictorEmbedDim / numHeads;
    }

    /**
     * Conditioning tokens per step: action and state, plus extrinsics when used.
     *
     * @return conditioning tokens per step: action and state, plus extrinsics when used
     */
    public int conditioningTokens() {
        return useExtrinsics ? 3 : 2;
    }

    /**
     * MLP hidden width (before the SwiGLU narrowing).
     *
     * @return mLP hidden width (before the SwiGLU narrowing)
     */
    public int mlpHidden() {
        return (int) (predictorEmbedDim * mlpRatio);
    }

    /**
     * The same configuration with another action (and state) dimension.
     *
     * @param dim the dim
     * @return the same configuration with another action (and state) dimension
     */
    public AcPredictorConfig withActionEmbedDim(int dim) {
        return new AcPredictorConfig(imgHeight, imgWidth, patchSize, numFrames, tubeletSize, embedDim,
                predictorEmbedDim, depth, numHeads, mlpRatio, dim, useRope, isFrameCausal, useExtrinsics, useSilu,
                wideSilu, residual);
    }

    /**
     * The same configuration with or without the residual ("delta") output.
     *
     * @param on whether the prediction is the input tokens plus the predictor's output
     * @return the same configuration with {@code residual} set to {@code on}
     */
    public AcPredictorConfig withResidual(boolean on) {
        return new AcPredictorConfig(imgHeight, imgWidth, patchSize, numFrames, tubeletSize, embedDim,
                predictorEmbedDim, depth, numHeads, mlpRatio, actionEmbedDim, useRope, isFrameCausal, useExtrinsics,
                useSilu, wideSilu, on);
    }

    /**
     * The configuration as a map under the reference names ({@code img_size} as {@code [height, width]}); jepa4j's
     * {@code residual} only when set, so the map of a reference predictor holds the reference's keys alone.
     *
     * @return an ordered map of plain values
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("img_size", List.of(imgHeight, imgWidth));
        m.put("patch_size", patchSize);
        m.put("num_frames", numFrames);
        m.put("tubelet_size", tubeletSize);
        m.put("embed_dim", embedDim);
        m.put("predictor_embed_dim", predictorEmbedDim);
        m.put("depth", depth);
        m.put("num_heads", numHeads);
        m.put("mlp_ratio", mlpRatio);
        m.put("action_embed_dim", actionEmbedDim);
        m.put("use_rope", useRope);
        m.put("is_frame_causal", isFrameCausal);
        m.put("use_extrinsics", useExtrinsics);
        m.put("use_silu", useSilu);
        m.put("wide_silu", wideSilu);
        if (residual) {
            m.put("residual", true);
        }
        return m;
    }

    /**
     * The configuration as pretty-printed JSON (readable by {@link #fromJson(String, String)}).
     *
     * @return the configuration as pretty-printed JSON (readable by {@link #fromJson(String, String)})
     */
    public String toJson() {
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        return gson.toJson(toMap());
    }

    /**
     * Builds a configuration from reference-named values; missing keys take the reference defaults
     * ({@code img_size} 224, {@code patch_size} 16, {@code num_frames} 1, {@code tubelet_size} 2,
     * {@code embed_dim} 768, {@code predictor_embed_dim} 1024, {@code depth} 24, {@code num_heads} 16,
     * {@code mlp_ratio} 4, {@code action_embed_dim} 7, {@code use_rope} true, {@code is_frame_causal} true,
     * {@code use_extrinsics} false, {@code use_silu} false, {@code wide_silu} true; jepa4j's {@code residual}
     * false).
     *
     * @param values name to value (numbers, booleans, {@code img_size} an int or a two-element list)
     * @param origin where the values came from, for error messages
     * @return the configuration
     * @throws IllegalArgumentException naming the origin and the key that is unknown or has a bad value
     */
    public static AcPredictorConfig fromMap(Map<String, ?> values, String origin) {
        for (String k : values.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException(origin + ": unknown key '" + k + "' (known: "
                        + KEYS.stream().sorted().toList() + ")");
            }
        }
        try {
            int h = 224;
            int w = 224;
            Object img = values.get("img_size");
            if (img instanceof Number n) {
                h = w = intOf("img_size", n);
            } else if (img instanceof List<?> l) {
                if (l.size() != 2 || !(l.get(0) instanceof Number) || !(l.get(1) instanceof Number)) {
                    throw new IllegalArgumentException("img_size must be an int or [height, width], got " + l);
                }
                h = intOf("img_size", (Number) l.get(0));
                w = intOf("img_size", (Number) l.get(1));
            } else if (img != null) {
                throw new IllegalArgumentException("img_size must be an int or [height, width], got " + img);
            }
            return new AcPredictorConfig(h, w, integer(values, "patch_size", 16), integer(values, "num_frames", 1),
                    integer(values, "tubelet_size", 2), integer(values, "embed_dim", 768),
                    integer(values, "predictor_embed_dim", 1024), integer(values, "depth", 24),
                    integer(values, "num_heads", 16), number(values, "mlp_ratio", 4.0),
                    integer(values, "action_embed_dim", 7), bool(values, "use_rope", true),
                    bool(values, "is_frame_causal", true), bool(values, "use_extrinsics", false),
                    bool(values, "use_silu", false), bool(values, "wide_silu", true),
                    bool(values, "residual", false));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses JSON text.
     *
     * @param json a JSON object of reference-named values
     * @param origin where the text came from, for error messages
     * @return the configuration
     */
    @SuppressWarnings("unchecked")
    public static AcPredictorConfig fromJson(String json, String origin) {
        Object parsed;
        try {
            parsed = new Gson().fromJson(json, Object.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(origin + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException(origin + ": expected a JSON object of predictor settings");
        }
        return fromMap((Map<String, ?>) parsed, origin);
    }

    /**
     * Reads a JSON ({@code .json}) or YAML ({@code .yaml}, {@code .yml}) file.
     *
     * @param file the configuration file
     * @return the configuration
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and the key at fault
     */
    @SuppressWarnings("unchecked")
    public static AcPredictorConfig read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            Object parsed;
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
            }
            if (!(parsed instanceof Map)) {
                throw new IllegalArgumentException(file + ": expected a YAML mapping of predictor settings");
            }
            return fromMap((Map<String, ?>) parsed, file.toString());
        }
        return fromJson(text, file.toString());
    }

    private static int integer(Map<String, ?> v, String key, int def) {
        Object o = v.get(key);
        if (o == null) {
            return def;
        }
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException(key + " must be a number, got " + o);
        }
        return intOf(key, n);
    }

    private static int intOf(String key, Number n) {
        double d = n.doubleValue();
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(key + " must be an integer, got " + n);
        }
        return (int) d;
    }

    private static double number(Map<String, ?> v, String key, double def) {
        Object o = v.get(key);
        if (o == null) {
            return def;
        }
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException(key + " must be a number, got " + o);
        }
        return n.doubleValue();
    }

    private static boolean bool(Map<String, ?> v, String key, boolean def) {
        Object o = v.get(key);
        if (o == null) {
            return def;
        }
        if (!(o instanceof Boolean b)) {
            throw new IllegalArgumentException(key + " must be true or false, got " + o);
        }
        return b;
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be >= 1, got " + value);
        }
    }
}
