package org.jepa4j.train.config;

import java.util.Arrays;
import java.util.List;

/**
 * Numeric precision of training; {@code org.jepa4j.train.precision.PrecisionPolicy} resolves it for a device and
 * implements it.
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

    /** Name used in YAML. */
    public String yamlName() {
        return yamlName;
    }

    /** Whether this precision is implemented (all are, by {@code org.jepa4j.train.precision}). */
    public boolean isImplemented() {
        return true;
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
