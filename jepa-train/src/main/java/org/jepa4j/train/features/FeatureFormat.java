package org.jepa4j.train.features;

/** File formats {@link FeatureExtractor} can write per clip. */
public enum FeatureFormat {
    /** One {@code .safetensors} file per clip holding {@code tokens [N, D]} and/or {@code pooled [D]}. */
    SAFETENSORS,
    /** NumPy files per clip: {@code .tokens.npy [N, D]} and/or {@code .pooled.npy [D]} (float32, '<f4'). */
    NPY
}
