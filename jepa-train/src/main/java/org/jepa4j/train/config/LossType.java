package org.jepa4j.train.config;

import java.util.Locale;

/**
 * The training loss ({@code loss.type}). Its YAML name is the constant's name in lower case.
 */
public enum LossType {
    /** V-JEPA: {@code mean(|pred - target|^p) / p} per mask set, then the mean over sets. */
    L1,
    /** I-JEPA: smooth L1 with beta 1, mean over all elements. */
    SMOOTH_L1;

    /**
     * The name used in YAML.
     *
     * @return {@code l1}, {@code smooth_l1}
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
    static LossType parse(String path, String value) {
        return Checks.oneOf(path, value, values(), LossType::yamlName);
    }
}
