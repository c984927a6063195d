package org.jepa4j.train.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of {@link WorldTrainConfig}: its sections, their keys with default values (whose types are the keys'
 * types), the conversion of a given value to a key's type, and the checks between values. Messages name the key.
 */
final class WorldConfigSchema {

    /** Section -> key -> default value, in file order (unmodifiable). */
    static final Map<String, Map<String, Object>> DEFAULTS = defaults();

    private WorldConfigSchema() {
    }

    private static Map<String, Map<String, Object>> defaults() {
        Map<String, Map<String, Object>> d = new LinkedHashMap<>();
        d.put("data", section("clip_frames", 8, "frame_step", 1, "batch_size", 8, "use_states", true));
        d.put("model", section("predictor_embed_dim", 256, "depth", 4, "num_heads", 8, "mlp_ratio", 4.0,
                "num_frames", 64, "tubelet_size", 2, "use_rope", true, "is_frame_causal", true, "use_silu", false,
                "wide_silu", true, "residual", false));
        d.put("loss", section("auto_steps", 2, "loss_exp", 1.0, "normalize_reps", true));
        d.put("optimization", section("epochs", 10, "ipe", 100, "lr", 4.25e-4, "start_lr", 7.5e-5, "final_lr", 0.0,
                "warmup", 1.0, "anneal", 1.0, "weight_decay", 0.04, "final_weight_decay", 0.04, "beta1", 0.9,
                "beta2", 0.999, "eps", 1e-8));
        d.put("meta", section("seed", 0, "device", "auto", "keep_last", 2, "max_nan_steps", 10,
                "checkpoint_every_steps", 0, "encoder", "", "data", "", "feature_cache", "", "encode_batch", 16));
        d.put("logging", section("log_freq", 10, "metrics_format", "csv", "plot_freq", 100, "progress_bar", true));
        return Collections.unmodifiableMap(d);
    }

    private static Map<String, Object> section(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** A mutable deep copy of sections of values. */
    static Map<String, Map<String, Object>> copy(Map<String, Map<String, Object>> m) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
        return out;
    }

    /**
     * {@code value} as the type of key {@code section.name}'s default.
     *
     * @param key {@code section.key}, for messages
     * @throws IllegalArgumentException naming an unknown key or a value of the wrong type
     */
    static Object typed(String key, String section, String name, Object value) {
        Map<String, Object> def = DEFAULTS.get(section);
        if (def == null || !def.containsKey(name)) {
            throw new IllegalArgumentException("unknown setting '" + key + "' (known: " + knownKeys() + ")");
        }
        Object d = def.get(name);
        Object v = value;
        if (v instanceof String s && !(d instanceof String)) {
            v = WorldConfigYaml.scalar(s);
        }
        if (d instanceof Integer) {
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException(key + " must be an integer, got " + value);
            }
            return n.intValue();
        } else if (d instanceof Double) {
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException(key + " must be a number, got " + value);
            }
            return n.doubleValue();
        } else if (d instanceof Boolean) {
            if (!(v instanceof Boolean)) {
                throw new IllegalArgumentException(key + " must be true or false, got " + value);
            }
            return v;
        }
        return v == null ? "" : v.toString();
    }

    private static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        DEFAULTS.forEach((s, m) -> m.keySet().forEach(k -> keys.add(s + "." + k)));
        return keys;
    }

    /**
     * Checks the values against each other.
     *
     * @throws IllegalArgumentException naming the keys at fault
     */
    static void check(WorldTrainConfig c, int numFrames, int tubeletSize) {
        positive("data.clip_frames", c.clipFrames() - 1);
        positive("data.frame_step", c.frameStep());
        positive("data.batch_size", c.batchSize());
        positive("loss.auto_steps", c.autoSteps());
        positive("model.num_frames", numFrames);
        positive("model.tubelet_size", tubeletSize);
        if (c.autoSteps() > c.clipFrames() - 1) {
            throw new IllegalArgumentException("loss.auto_steps " + c.autoSteps() + " needs clips of at least "
                    + (c.autoSteps() + 1) + " frames (data.clip_frames is " + c.clipFrames() + ")");
        }
        if (c.clipFrames() - 1 > numFrames / tubeletSize) {
            throw new IllegalArgumentException("data.clip_frames " + c.clipFrames() + " needs "
                    + (c.clipFrames() - 1) + " predictor steps; model.num_frames / model.tubelet_size allows "
                    + numFrames / tubeletSize);
        }
        positive("optimization.epochs", c.epochs());
        if (c.ipe() < 0) {
            throw new IllegalArgumentException("optimization.ipe must be >= 0 (0: clips / batch), got " + c.ipe());
        }
        if (!(c.lossExp() > 0)) {
            throw new IllegalArgumentException("loss.loss_exp must be > 0, got " + c.lossExp());
        }
        String fmt = c.metricsFormat();
        if (!fmt.equals("csv") && !fmt.equals("jsonl")) {
            throw new IllegalArgumentException("logging.metrics_format must be csv or jsonl, got '" + fmt + "'");
        }
    }

    private static void positive(String key, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(key + " is too small (" + v + ")");
        }
    }
}
