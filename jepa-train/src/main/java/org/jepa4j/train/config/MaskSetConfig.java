package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One mask set of the multiblock recipe: {@code numBlocks} target blocks whose union is predicted.
 *
 * <p>Validation happens in {@link MaskConfig}, which knows the set's index and so the key path.
 *
 * @param numBlocks target blocks per sample
 * @param spatialScale [min, max] fraction of the spatial grid one block covers
 * @param temporalScale [min, max] fraction of the time steps one block covers (1.0 for images)
 * @param aspectRatio [min, max] block aspect ratio
 * @param maxTemporalKeep fraction of time steps the context may keep (1.0: all)
 * @param maxKeep cap on context tokens, or null for no cap
 */
public record MaskSetConfig(
        int numBlocks,
        List<Double> spatialScale,
        List<Double> temporalScale,
        List<Double> aspectRatio,
        double maxTemporalKeep,
        Integer maxKeep) {

    /** Copies the lists. */
    public MaskSetConfig {
        spatialScale = spatialScale == null ? null : List.copyOf(spatialScale);
        temporalScale = temporalScale == null ? null : List.copyOf(temporalScale);
        aspectRatio = aspectRatio == null ? null : List.copyOf(aspectRatio);
    }

    /**
     * V-JEPA short-range set: 8 blocks of spatial scale 0.15, full time, aspect [0.75, 1.5].
     *
     * @return V-JEPA short-range set: 8 blocks of spatial scale 0.15, full time, aspect [0.75, 1.5]
     */
    public static MaskSetConfig shortRange() {
        return new MaskSetConfig(8, List.of(0.15, 0.15), List.of(1.0, 1.0), List.of(0.75, 1.5), 1.0, null);
    }

    /**
     * V-JEPA long-range set: 2 blocks of spatial scale 0.7, full time, aspect [0.75, 1.5].
     *
     * @return V-JEPA long-range set: 2 blocks of spatial scale 0.7, full time, aspect [0.75, 1.5]
     */
    public static MaskSetConfig longRange() {
        return new MaskSetConfig(2, List.of(0.7, 0.7), List.of(1.0, 1.0), List.of(0.75, 1.5), 1.0, null);
    }

    void validate(String path) {
        Checks.positive(path + ".num_blocks", numBlocks);
        Checks.range(path + ".spatial_scale", spatialScale, 1e-6, 1.0);
        Checks.range(path + ".temporal_scale", temporalScale, 1e-6, 1.0);
        Checks.range(path + ".aspect_ratio", aspectRatio, 1e-3, 1e3);
        Checks.inRange(path + ".max_temporal_keep", maxTemporalKeep, 1e-6, 1.0);
        if (maxKeep != null) {
            Checks.positive(path + ".max_keep", maxKeep);
        }
    }

    static MaskSetConfig from(YamlSection y) {
        MaskSetConfig d = shortRange();
        MaskSetConfig out = new MaskSetConfig(
                y.integer("num_blocks", d.numBlocks),
                y.numbers("spatial_scale", d.spatialScale),
                y.numbers("temporal_scale", d.temporalScale),
                y.numbers("aspect_ratio", d.aspectRatio),
                y.number("max_temporal_keep", d.maxTemporalKeep),
                y.optInteger("max_keep"));
        y.finish();
        out.validate(y.path());
        return out;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_blocks", numBlocks);
        m.put("spatial_scale", spatialScale);
        m.put("temporal_scale", temporalScale);
        m.put("aspect_ratio", aspectRatio);
        m.put("max_temporal_keep", maxTemporalKeep);
        m.put("max_keep", maxKeep);
        return m;
    }
}
