/**
 * Frozen-encoder feature extraction.
 *
 * <ul>
 *   <li>{@link org.jepa4j.train.features.EncoderLoader} says where encoder weights come from (a Hugging Face
 *       directory, a jepa4j run or checkpoint ({@link org.jepa4j.train.features.RunEncoderLoader}: the target
 *       encoder plus the run's config.yaml), a safetensors file of our parameter names plus a
 *       {@link org.jepa4j.core.model.VitConfig}, or any other checkpoint format implementing it); {@link org.jepa4j.train.features.FrozenEncoder} holds the
 *       loaded, frozen encoder.</li>
 *   <li>{@link org.jepa4j.train.features.FeatureExtractor} (built by
 *       {@link org.jepa4j.train.features.FeatureExtractorBuilder}) encodes every video or image of a source (evaluation
 *       clips: segments x views), writes per-clip token {@code [N, D]} and pooled {@code [D]} features as
 *       safetensors and/or .npy files plus an index CSV ({@link org.jepa4j.train.features.FeatureIndex}), skips
 *       and reports unreadable files, and reports progress to a
 *       {@link org.jepa4j.train.features.ProgressListener}.</li>
 *   <li>{@link org.jepa4j.train.features.TensorFileExtractor} encodes already-preprocessed pixels from a
 *       safetensors file ({@code pixel_values_videos} / {@code pixel_values}) into {@code last_hidden_state}.</li>
 *   <li>{@link org.jepa4j.train.features.FeatureSet} reads extracted features back into memory for probes.</li>
 * </ul>
 */
package org.jepa4j.train.features;
