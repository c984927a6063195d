package org.jepa4j.train.features;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One row of a feature index: one clip (temporal segment x spatial view) of one sample and the files holding its
 * features. File names are relative to the index's folder; an empty name means that output was not written.
 *
 * @param sample position of the sample in the source
 * @param path the sample's media file
 * @param label the sample's label id
 * @param labelName the label's name (empty if unknown)
 * @param segment temporal segment (clip) of the sample, from 0
 * @param view spatial view of the clip, from 0
 * @param safetensors the clip's safetensors file ({@code tokens} and/or {@code pooled}), or empty
 * @param tokensNpy the clip's token features {@code [N, D]} as .npy, or empty
 * @param pooledNpy the clip's pooled features {@code [D]} as .npy, or empty
 */
public record FeatureRecord(int sample, Path path, int label, String labelName, int segment, int view,
        String safetensors, String tokensNpy, String pooledNpy) {

    /** The names of the files written for this clip (the non-empty ones), relative to the index's folder. */
    List<String> files() {
        return Stream.of(safetensors, tokensNpy, pooledNpy).filter(f -> !f.isEmpty()).toList();
    }
}
