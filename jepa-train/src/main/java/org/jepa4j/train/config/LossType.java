package org.jepa4j.train.config;

import java.util.Arrays;
import java.util.List;

/** The training loss ({@code loss.type}). */
public enum LossType {
    /** V-JEPA: {@code mean(|pred - target|^p) / p} per mask set, then the mean over sets. */
    L1("l1"),
    /** I-JEPA: smooth L1 with beta 1, mean over all elements. */
    SMOOTH_L1("smooth_l1");

    private final String yamlName;

    LossType(String yamlName) {
        this.yamlName = yamlName;
    }

    /**
     * The name used in YAML.
     *
     * @return {@code l1} or {@code smooth_l1}
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
    static LossType parse(String path, String value) {
        List<String> names = Arrays.stream(values()).map(LossType::yamlName).toList();
        Checks.oneOf(path, value, names);
        return values()[names.indexOf(value)];
    }
}
