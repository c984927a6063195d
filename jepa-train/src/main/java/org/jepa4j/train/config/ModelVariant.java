package org.jepa4j.train.config;

import java.util.Locale;

/**
 * The JEPA variant a configuration trains ({@code model.variant}). Its YAML name is the constant's name in lower case.
 */
public enum ModelVariant {
    /** V-JEPA: video, 3D sin-cos positions (2D for image data). */
    VJEPA,
    /** V-JEPA 2: video, 3D RoPE, tokens sorted by id in the predictor. */
    VJEPA2,
    /** I-JEPA: images, 2D sin-cos positions, mask tokens drawn from a truncated normal. */
    IJEPA;

    /**
     * The name used in YAML.
     *
     * @return {@code vjepa}, {@code vjepa2}, {@code ijepa}
     */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the YAML name, so logs and messages read as the configuration does. */
    @Override
    public String toString() {
        return yamlName();
    }

    /** Parses a YAML name, naming the key path on failure. */
    static ModelVariant parse(String path, String value) {
        return Checks.oneOf(path, value, values(), ModelVariant::yamlName);
    }
}
