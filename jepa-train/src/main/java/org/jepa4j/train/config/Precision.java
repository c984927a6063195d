package org.jepa4j.train.config;

import java.util.Arrays;
import java.util.List;

/**
 * Numeric precision of training. {@code org.jepa4j.train.precision.PrecisionPolicy} resolves every value for a device
 * and the trainer runs every value.
 */
public enum Precision {
    /** The device's default (the configuration default): {@link #FP16_MIXED} on a GPU, {@link #FP32} on the CPU. */
    AUTO("auto"),
    /** Float32 weights, activations and gradients. */
    FP32("fp32"),
    /** Float16 compute (context encoder, predictor) with float32 master weights, AdamW moments and loss scaling. */
    FP16_MIXED("fp16-mixed"),
    /** Float32 with TF32 matmuls on GPUs ({@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1}); plain float32 on the CPU. */
    TF32("tf32");

    private final String yamlName;

    Precision(String yamlName) {
        this.yamlName = yamlName;
    }

    /**
     * Name used in YAML.
     *
     * @return name used in YAML
     */
    public String yamlName() {
        return yamlName;
    }

    /**
     * Whether the trainer runs this precision: true for every value (fp32, tf32, fp16-mixed and auto are all wired
     * through {@code org.jepa4j.train.precision}); kept so that callers checking it keep compiling.
     *
     * @return true
     */
    public boolean isImplemented() {
        return true;
    }

    /**
     * The precision of a YAML name ({@code auto}, {@code fp32}, {@code fp16-mixed}, {@code tf32}).
     *
     * @param name the name
     * @return the precision
     * @throws ConfigException listing the valid names
     */
    public static Precision fromYamlName(String name) {
        return parse("precision", name);
    }

    /** Parses a YAML name, naming the key path on failure. */
    static Precision parse(String path, String value) {
        for (Precision p : values()) {
            if (p.yamlName.equals(value)) {
                return p;
            }
        }
        List<String> names = Arrays.stream(values()).map(Precision::yamlName).toList();
        throw new ConfigException(path, "must be one of " + names + ", got '" + value + "'");
    }
}
