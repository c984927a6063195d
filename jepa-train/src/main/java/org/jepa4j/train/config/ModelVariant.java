package org.jepa4j.train.config;

import java.util.Arrays;
import java.util.List;

/** The JEPA variant a configuration trains ({@code model.variant}). */
public enum ModelVariant {
    /** V-JEPA: video, 3D sin-cos positions (2D for image data). */
    VJEPA("vjepa"),
    /** V-JEPA 2: video, 3D RoPE, tokens sorted by id in the predictor. */
    VJEPA2("vjepa2"),
    /** I-JEPA: images, 2D sin-cos positions, mask tokens drawn from a truncated normal. */
    IJEPA("ijepa");

    private final String yamlName;

    ModelVariant(String yamlName) {
        this.yamlName = yamlName;
    }

    /**
     * The name used in YAML.
     *
     * @return {@code vjepa}, {@code vjepa2} or {@code ijepa}
     */
    public String yamlName() {
        return yamlName;
    }

    /** Returns the YAML name, so logs and messages read as the configuration does. */
    @Override
    public String toString() {
        return yamlName;
    }

    /** Parses a YAML name, naming the key path on failure. */
    static ModelVariant parse(String path, String value) {
        List<String> names = Arrays.stream(values()).map(ModelVariant::yamlName).toList();
        Checks.oneOf(path, value, names);
        return values()[names.indexOf(value)];
    }
}
