package org.jepa4j.train.features;

/**
 * The features of one clip (temporal segment x spatial view) of one sample, as {@link FeatureExtractor#encode}
 * hands them to a {@link FeatureSink}.
 *
 * @param sourceIndex position of the sample in the source given to {@code encode}
 * @param segment temporal segment of the sample, from 0
 * @param view spatial view of the clip, from 0
 * @param numTokens tokens per clip, N
 * @param width feature width, D
 * @param tokens token features {@code [N, D]} row-major, or null when the extractor does not keep tokens
 * @param pooled mean of the token features over tokens {@code [D]}, or null when the extractor does not keep them
 */
public record ClipFeatures(int sourceIndex, int segment, int view, int numTokens, int width, float[] tokens,
        float[] pooled) {}
