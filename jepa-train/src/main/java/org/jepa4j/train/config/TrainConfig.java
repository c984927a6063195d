package org.jepa4j.train.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.io.AtomicFiles;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * A complete, validated pretraining configuration, mirroring the reference YAML configs (sections
 * {@code data}, {@code data_aug}, {@code mask}, {@code model}, {@code optimization}, {@code loss},
 * {@code meta}, {@code logging}, {@code eval}). Missing keys take the defaults of each section's {@code defaults()};
 * unknown keys are rejected with their path and the closest valid key. A file may build on a built-in preset with a
 * top-level {@code base: NAME} key: the preset's values, then the file's over them (mappings merge key by key, lists
 * such as {@code mask} replace).
 *
 * <p>Typical use: {@code TrainConfig.load(path, List.of("optimization.lr=1e-3"))} or
 * {@code TrainConfig.preset("vjepa_tiny")}; {@link #toYaml()} writes the resolved configuration back.
 *
 * @param data the data section
 * @param dataAug the data_aug section
 * @param mask the mask section
 * @param model the model section
 * @param optimization the optimization section
 * @param loss the loss section
 * @param meta the meta section
 * @param logging the logging section
 * @param eval the eval section (how the run is scored by default; no effect on training)
 */
public record TrainConfig(
        DataConfig data,
        DataAugConfig dataAug,
        MaskConfig mask,
        ModelConfig model,
        OptimizationConfig optimization,
        LossConfig loss,
        MetaConfig meta,
        LoggingConfig logging,
        EvalConfig eval) {

    /** Names of the built-in presets, loadable with {@link #preset(String)}. */
    public static final List<String> PRESETS = List.of("vjepa_vitl16", "vjepa2_vitl16", "ijepa_vith14", "vjepa_tiny",
            "physics_tiny", "physics_long");

    /** The top-level key that makes a file build on a preset ({@code base: physics_tiny}). */
    private static final String BASE = "base";

    private static final List<String> SECTIONS =
            List.of("data", "data_aug", "mask", "model", "optimization", "loss", "meta", "logging", "eval");

    /** Cross-section checks; messages name the key path and the value. */
    public TrainConfig {
        if (model.useMaskTokens() && model.numMaskTokens() < mask.sets().size()) {
            throw new ConfigException("model.num_mask_tokens", "must be >= the number of mask sets ("
                    + mask.sets().size() + ") or 0 for one per set, got " + model.numMaskTokens());
        }
        if (model.variant() == ModelVariant.IJEPA && !mask.type().equals("multiblock2d")) {
            throw new ConfigException("mask.type", "must be multiblock2d for model.variant ijepa, got '"
                    + mask.type() + "'");
        }
        for (int i = 0; i < eval.physicsContext().size(); i++) {
            int c = eval.physicsContext().get(i);
            if (c >= data.numFrames() || c % data.tubeletSize() != 0) {
                throw new ConfigException("eval.physics_context[" + i + "]", "must be below data.num_frames ("
                        + data.numFrames() + ") and a multiple of data.tubelet_size (" + data.tubeletSize()
                        + "), got " + c);
            }
        }
        if (mask.type().equals("multiblock2d") && data.numFrames() != data.tubeletSize()) {
            throw new ConfigException("data.num_frames", "must equal data.tubelet_size (one time step) for "
                    + "mask.type multiblock2d, got " + data.numFrames() + " frames, tubelet " + data.tubeletSize());
        }
    }

    /**
     * The V-JEPA ViT-L/16 recipe with every section at its defaults.
     *
     * @return the V-JEPA ViT-L/16 recipe with every section at its defaults
     */
    public static TrainConfig defaults() {
        return fromMap(Map.of(), "defaults");
    }

    /**
     * Parses YAML text; {@code source} names it in error messages.
     *
     * @param yaml the YAML text
     * @param source what the text is (a file name), for messages
     * @return the validated configuration
     */
    public static TrainConfig fromYaml(String yaml, String source) {
        return fromYaml(yaml, source, List.of());
    }

    /**
     * Parses YAML text, then applies {@code key.path=value} overrides (values parsed as YAML scalars or
     * flow lists, e.g. {@code optimization.ema=[0.99,1.0]}; list items addressed as {@code mask.sets[0].num_blocks}).
     *
     * @param yaml the YAML text
     * @param source what the text is (a file name), for messages
     * @param overrides {@code key.path=value} overrides
     * @return the validated configuration
     */
    public static TrainConfig fromYaml(String yaml, String source, List<String> overrides) {
        Object root;
        try {
            root = yaml().load(yaml);
        } catch (YAMLException e) {
            throw new ConfigException(source, "not valid YAML: " + e.getMessage());
        }
        if (root != null && !(root instanceof Map)) {
            throw new ConfigException(source, "top level must be a mapping of sections, got " + YamlSection.describe(root));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = root == null ? new LinkedHashMap<>() : deepCopy((Map<String, Object>) root);
        map = withBase(map, source);
        for (String o : overrides) {
            applyOverride(map, o);
        }
        return fromMap(map, source);
    }

    /**
     * Loads a YAML file (plus optional overrides); errors name the file and the key path.
     *
     * @param file the YAML file
     * @param overrides {@code key.path=value} overrides applied after the file
     * @return the validated configuration
     * @throws IOException if the file cannot be read
     */
    public static TrainConfig load(Path file, List<String> overrides) throws IOException {
        return fromYaml(Files.readString(file, StandardCharsets.UTF_8), file.toString(), overrides);
    }

    /**
     * Loads a YAML file.
     *
     * @param file the YAML file
     * @return the validated configuration
     * @throws IOException if the file cannot be read
     */
    public static TrainConfig load(Path file) throws IOException {
        return load(file, List.of());
    }

    /**
     * A copy with another {@code meta} section (e.g. {@code withMeta(meta().withInitFrom("runs/earlier"))}).
     *
     * @param newMeta the meta section
     * @return the new configuration
     */
    public TrainConfig withMeta(MetaConfig newMeta) {
        return new TrainConfig(data, dataAug, mask, model, optimization, loss, newMeta, logging, eval);
    }

    /**
     * Loads a built-in preset by name, one of {@link #PRESETS}.
     *
     * @param name a preset name
     * @return the preset configuration
     */
    public static TrainConfig preset(String name) {
        return preset(name, List.of());
    }

    /**
     * Loads a built-in preset and applies overrides.
     *
     * @param name a preset name, one of {@link #PRESETS}
     * @param overrides {@code key.path=value} overrides
     * @return the validated configuration
     */
    public static TrainConfig preset(String name, List<String> overrides) {
        if (!PRESETS.contains(name)) {
            String hint = YamlSection.closest(name, PRESETS);
            throw new ConfigException("preset", "unknown preset '" + name + "'"
                    + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; known: " + PRESETS);
        }
        return fromYaml(presetText(name), "preset " + name, overrides);
    }

    private static String presetText(String name) {
        String resource = "presets/" + name + ".yaml";
        try (InputStream in = TrainConfig.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("preset resource missing from the jar: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read preset resource " + resource, e);
        }
    }

    /**
     * The resolved configuration as YAML (every key explicit); parsing it yields an equal record.
     *
     * @return the resolved configuration as YAML (every key explicit); parsing it yields an equal record
     */
    public String toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data.toYaml());
        m.put("data_aug", dataAug.toYaml());
        m.put("mask", mask.toYaml());
        m.put("model", model.toYaml());
        m.put("optimization", optimization.toYaml());
        m.put("loss", loss.toYaml());
        m.put("meta", meta.toYaml());
        m.put("logging", logging.toYaml());
        m.put("eval", eval.toYaml());
        DumperOptions opts = new DumperOptions();
        opts.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        opts.setDereferenceAliases(true); // a resolved config spells every value out: no &anchors/*aliases
        opts.setIndent(2);
        opts.setIndicatorIndent(2);
        opts.setIndentWithIndicator(true);
        return "# jepa4j resolved configuration\n" + new Yaml(new Representer(opts), opts).dump(m);
    }

    /**
     * Writes {@link #toYaml()} to {@code file} atomically ({@link AtomicFiles#writeString}).
     *
     * @param file the destination
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toYaml());
    }

    private static TrainConfig fromMap(Map<String, Object> map, String source) {
        try {
            YamlSection root = new YamlSection("", map);
            DataConfig data = DataConfig.from(root.section("data"));
            DataAugConfig aug = DataAugConfig.from(root.section("data_aug"));
            MaskConfig mask = MaskConfig.from(root.raw("mask"));
            ModelConfig model = ModelConfig.from(root.section("model"));
            if (model.numMaskTokens() == 0) {
                model = model.withNumMaskTokens(mask.sets().size());
            }
            OptimizationConfig opt = OptimizationConfig.from(root.section("optimization"));
            LossConfig loss = LossConfig.from(root.section("loss"));
            MetaConfig meta = MetaConfig.from(root.section("meta"));
            LoggingConfig logging = LoggingConfig.from(root.section("logging"));
            EvalConfig eval = EvalConfig.from(root.section("eval"));
            for (String key : map.keySet()) {
                if (!SECTIONS.contains(key)) {
                    String hint = YamlSection.closest(key, SECTIONS);
                    throw new ConfigException(key, "unknown section" + (hint == null ? "" : " (did you mean '"
                            + hint + "'?)") + "; valid sections: " + SECTIONS);
                }
            }
            return new TrainConfig(data, aug, mask, model, opt, loss, meta, logging, eval);
        } catch (ConfigException e) {
            throw ConfigException.inSource(source, e);
        }
    }

    /**
     * Resolves a top-level {@code base: PRESET} key: the preset's keys, then this map's keys over them (mappings merge
     * key by key, lists and scalars replace). A preset may itself build on another.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withBase(Map<String, Object> map, String source) {
        Object base = map.remove(BASE);
        if (base == null) {
            return map;
        }
        String name = String.valueOf(base);
        if (base instanceof Map || base instanceof List || !PRESETS.contains(name)) {
            String hint = YamlSection.closest(name, PRESETS);
            throw ConfigException.inSource(source, new ConfigException(BASE, "must name a built-in preset, got '"
                    + name + "'" + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; known: " + PRESETS));
        }
        Object parent = yaml().load(presetText(name));
        Map<String, Object> merged = withBase(deepCopy((Map<String, Object>) parent), "preset " + name);
        merge(merged, map);
        return merged;
    }

    /** Puts {@code over}'s keys into {@code into}: mappings merge recursively, anything else replaces. */
    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> over) {
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object old = into.get(e.getKey());
            if (old instanceof Map && e.getValue() instanceof Map) {
                merge((Map<String, Object>) old, (Map<String, Object>) e.getValue());
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<?, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : in.entrySet()) {
            out.put(String.valueOf(e.getKey()), deepCopyValue(e.getValue()));
        }
        return out;
    }

    private static Object deepCopyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepCopy(m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(deepCopyValue(o));
            }
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static void applyOverride(Map<String, Object> root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(override, "override must look like key.path=value");
        }
        String path = override.substring(0, eq).trim();
        Object value;
        try {
            value = yaml().load(override.substring(eq + 1));
        } catch (YAMLException e) {
            throw new ConfigException(path, "override value is not valid YAML: " + e.getMessage());
        }
        String[] parts = path.split("\\.");
        Object node = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            Integer index = null;
            int br = part.indexOf('[');
            if (br >= 0 && part.endsWith("]")) {
                index = Integer.parseInt(part.substring(br + 1, part.length() - 1));
                part = part.substring(0, br);
            }
            if (!(node instanceof Map)) {
                throw new ConfigException(path, "cannot descend into a non-mapping at '" + part + "'");
            }
            Map<String, Object> map = (Map<String, Object>) node;
            boolean last = i == parts.length - 1;
            if (index == null) {
                if (last) {
                    map.put(part, value);
                } else {
                    node = map.computeIfAbsent(part, k -> new LinkedHashMap<String, Object>());
                }
            } else {
                Object list = map.get(part);
                if (list instanceof Map<?, ?> m && m.get("sets") instanceof List<?>) {
                    list = m.get("sets"); // mask[0] on the mapping form means mask.sets[0]
                }
                if (!(list instanceof List) || index >= ((List<Object>) list).size()) {
                    throw new ConfigException(path, "no list item " + index + " at '" + part + "'");
                }
                if (last) {
                    ((List<Object>) list).set(index, value);
                } else {
                    node = ((List<Object>) list).get(index);
                }
            }
        }
    }
}
