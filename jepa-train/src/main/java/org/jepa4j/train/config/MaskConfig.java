package org.jepa4j.train.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mask} section: the mask generator and its mask sets (one predictor pass per set).
 *
 * <p>In YAML the section is either a mapping ({@code type}, {@code sets}, ...) or, as in the V-JEPA
 * reference configs, a bare list of mask sets (then {@code type} is {@code multiblock3d}).
 *
 * @param type {@code multiblock3d} (V-JEPA: context = complement of the union of target blocks) or
 *     {@code multiblock2d} (I-JEPA: context = one block of {@code contextScale} minus the targets)
 * @param sets the mask sets, in predictor order
 * @param contextScale multiblock2d only: [min, max] scale of the context block (aspect 1.0)
 * @param minKeep multiblock2d only: minimum tokens kept in a context or target block
 * @param allowOverlap multiblock2d only: whether the context may overlap target blocks
 */
public record MaskConfig(String type, List<MaskSetConfig> sets, List<Double> contextScale, int minKeep,
        boolean allowOverlap) {

    static final String S = "mask";

    /** Validates every field; messages name the key path and the value. */
    public MaskConfig {
        Checks.oneOf(S + ".type", type, List.of("multiblock3d", "multiblock2d"));
        sets = List.copyOf(sets);
        if (sets.isEmpty()) {
            throw new ConfigException(S + ".sets", "must list at least one mask set, got none");
        }
        for (int i = 0; i < sets.size(); i++) {
            sets.get(i).validate(S + ".sets[" + i + "]");
        }
        Checks.range(S + ".context_scale", contextScale, 1e-6, 1.0);
        contextScale = List.copyOf(contextScale);
        Checks.nonNegative(S + ".min_keep", minKeep);
    }

    /**
     * V-JEPA multiblock 3D: short-range (8 x 0.15) and long-range (2 x 0.7) sets.
     *
     * @return V-JEPA multiblock 3D: short-range (8 x 0.15) and long-range (2 x 0.7) sets
     */
    public static MaskConfig defaults() {
        return new MaskConfig("multiblock3d", List.of(MaskSetConfig.shortRange(), MaskSetConfig.longRange()),
                List.of(0.85, 1.0), 10, false);
    }

    /**
     * I-JEPA multiblock 2D: 4 targets of scale [0.15, 0.2], context block [0.85, 1.0], min keep 10.
     *
     * @return I-JEPA multiblock 2D: 4 targets of scale [0.15, 0.2], context block [0.85, 1.0], min keep 10
     */
    public static MaskConfig ijepa() {
        return new MaskConfig("multiblock2d",
                List.of(new MaskSetConfig(4, List.of(0.15, 0.2), List.of(1.0, 1.0), List.of(0.75, 1.5), 1.0, null)),
                List.of(0.85, 1.0), 10, false);
    }

    static MaskConfig from(Object node) {
        if (node instanceof List<?> list) {
            MaskConfig d = defaults();
            return new MaskConfig("multiblock3d", parseSets(S, list), d.contextScale, d.minKeep, d.allowOverlap);
        }
        YamlSection y = YamlSection.of(S, node);
        MaskConfig d = defaults();
        String type = y.string("type", d.type);
        Object rawSets = y.raw("sets");
        List<MaskSetConfig> sets;
        if (rawSets == null) {
            sets = type.equals("multiblock2d") ? ijepa().sets : d.sets;
        } else if (rawSets instanceof List<?> list) {
            sets = parseSets(S + ".sets", list);
        } else {
            throw new ConfigException(S + ".sets", "must be a list of mask sets, got " + YamlSection.describe(rawSets));
        }
        MaskConfig out = new MaskConfig(type, sets,
                y.numbers("context_scale", d.contextScale),
                y.integer("min_keep", d.minKeep),
                y.bool("allow_overlap", d.allowOverlap));
        y.finish();
        return out;
    }

    private static List<MaskSetConfig> parseSets(String path, List<?> list) {
        List<MaskSetConfig> sets = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            sets.add(MaskSetConfig.from(YamlSection.of(path + "[" + i + "]", list.get(i))));
        }
        return sets;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        List<Object> s = new ArrayList<>();
        for (MaskSetConfig set : sets) {
            s.add(set.toYaml());
        }
        m.put("sets", s);
        m.put("context_scale", contextScale);
        m.put("min_keep", minKeep);
        m.put("allow_overlap", allowOverlap);
        return m;
    }
}
