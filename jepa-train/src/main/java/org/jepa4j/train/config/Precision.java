package org.jepa4j.train.config;

import java.util.Arrays;
import java.util.List;

/** Numeric precision of training. Only {@link #FP32} is implemented; the others are reserved names. */
public enum Precision {
    /** Float32 weights, activations and gradients (default). */
    FP32("fp32"),
    /** Reserved: fp16 compute with fp32 master weights and loss scaling. */
    FP16_MIXED("fp16-mixed"),
    /** Reserved: fp32 with TF32 matmuls on GPUs ({@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1}). */
    TF32("tf32");

    private final String yamlName;

    Precision(String yamlName) {
        this.yamlName = yamlName;
    }

    /** Name used in YAML. */
    public String yamlName() {
        return yamlName;
    }

    /** Whether the trainer implements this precision yet. */
    public boolean isImplemented() {
        return this == FP32;
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
