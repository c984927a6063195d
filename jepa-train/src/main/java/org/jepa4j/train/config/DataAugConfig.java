package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code data_aug} section: random resized crop (same crop for every frame), flip, normalization.
 *
 * @param randomResizeAspectRatio [min, max] aspect ratio of the crop
 * @param randomResizeScale [min, max] fraction of the frame area the crop covers
 * @param horizontalFlip flip with probability 0.5
 * @param normalizeMean per-channel RGB mean (3 values)
 * @param normalizeStd per-channel RGB std (3 values)
 */
public record DataAugConfig(
        List<Double> randomResizeAspectRatio,
        List<Double> randomResizeScale,
        boolean horizontalFlip,
        List<Double> normalizeMean,
        List<Double> normalizeStd) {

    static final String S = "data_aug";

    /** Validates every field; messages name the key path and the value. */
    public DataAugConfig {
        Checks.range(S + ".random_resize_aspect_ratio", randomResizeAspectRatio, 1e-3, 1e3);
        Checks.range(S + ".random_resize_scale", randomResizeScale, 1e-6, 1.0);
        randomResizeAspectRatio = List.copyOf(randomResizeAspectRatio);
        randomResizeScale = List.copyOf(randomResizeScale);
        if (normalizeMean.size() != 3) {
            throw new ConfigException(S + ".normalize_mean", "must have 3 values (RGB), got " + normalizeMean);
        }
        if (normalizeStd.size() != 3) {
            throw new ConfigException(S + ".normalize_std", "must have 3 values (RGB), got " + normalizeStd);
        }
        for (int i = 0; i < 3; i++) {
            Checks.positive(S + ".normalize_std[" + i + "]", normalizeStd.get(i));
        }
        normalizeMean = List.copyOf(normalizeMean);
        normalizeStd = List.copyOf(normalizeStd);
    }

    /**
     * Reference augmentation: scale [0.3, 1.0], aspect [0.75, 1.35], flip, ImageNet mean/std.
     *
     * @return reference augmentation: scale [0.3, 1.0], aspect [0.75, 1.35], flip, ImageNet mean/std
     */
    public static DataAugConfig defaults() {
        return new DataAugConfig(List.of(0.75, 1.35), List.of(0.3, 1.0), true,
                List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225));
    }

    static DataAugConfig from(YamlSection y) {
        DataAugConfig d = defaults();
        DataAugConfig out = new DataAugConfig(
                y.numbers("random_resize_aspect_ratio", d.randomResizeAspectRatio),
                y.numbers("random_resize_scale", d.randomResizeScale),
                y.bool("horizontal_flip", d.horizontalFlip),
                y.numbers("normalize_mean", d.normalizeMean),
                y.numbers("normalize_std", d.normalizeStd));
        y.finish();
        return out;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("random_resize_aspect_ratio", randomResizeAspectRatio);
        m.put("random_resize_scale", randomResizeScale);
        m.put("horizontal_flip", horizontalFlip);
        m.put("normalize_mean", normalizeMean);
        m.put("normalize_std", normalizeStd);
        return m;
    }
}
