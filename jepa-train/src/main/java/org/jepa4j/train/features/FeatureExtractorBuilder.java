package org.jepa4j.train.features;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jepa4j.video.loader.ClipReading;
import org.jepa4j.video.transform.ClipTransform;

/**
 * Builder of {@link FeatureExtractor}, returned by {@link FeatureExtractor#builder()}: {@code setEncoder} is required.
 */
public final class FeatureExtractorBuilder {

    FrozenEncoder encoder;
    ClipReading reading;
    Set<FeatureFormat> formats = EnumSet.of(FeatureFormat.SAFETENSORS);
    boolean tokens = true;
    boolean pooled = true;
    ProgressListener progress = ProgressListener.NONE;
    boolean resume;

    FeatureExtractorBuilder() {}

    /**
     * Sets whether to continue an interrupted extraction in the same output folder (default false: every file is
     * written again). Samples whose files are all present are kept; the folder's
     * {@value FeatureExtractor#MANIFEST} must match this extraction's settings.
     *
     * @param resume whether to resume
     * @return this builder
     */
    public FeatureExtractorBuilder optResume(boolean resume) {
        this.resume = resume;
        return this;
    }

    /**
     * Sets the encoder (required).
     *
     * @param encoder the encoder (required)
     * @return this builder
     */
    public FeatureExtractorBuilder setEncoder(FrozenEncoder encoder) {
        this.encoder = encoder;
        return this;
    }

    /**
     * Sets what is read and how ({@link ClipReading}: sampling, whose {@code clipsPerVideo} is the number of
     * temporal segments per video; an evaluation transform, {@link ClipTransform#eval(int, int)}; image mode;
     * batch size; workers). Default {@link FeatureExtractor#defaultReading(FrozenEncoder)}.
     *
     * @param reading the loader settings
     * @return this builder
     */
    public FeatureExtractorBuilder optReading(ClipReading reading) {
        this.reading = Objects.requireNonNull(reading, "reading");
        return this;
    }

    /**
     * Sets the output formats (default safetensors only).
     *
     * @param formats the output formats (default safetensors only)
     * @return this builder
     */
    public FeatureExtractorBuilder optFormats(Set<FeatureFormat> formats) {
        this.formats = Objects.requireNonNull(formats, "formats");
        return this;
    }

    /**
     * Writes token features [N, D] (default true).
     *
     * @param tokens whether to write token features [N, D] (default true)
     * @return this builder
     */
    public FeatureExtractorBuilder optTokens(boolean tokens) {
        this.tokens = tokens;
        return this;
    }

    /**
     * Writes pooled features [D] (default true).
     *
     * @param pooled whether to write pooled features [D] (default true)
     * @return this builder
     */
    public FeatureExtractorBuilder optPooled(boolean pooled) {
        this.pooled = pooled;
        return this;
    }

    /**
     * Sets the progress listener (default none).
     *
     * @param progress the progress listener (default none)
     * @return this builder
     */
    public FeatureExtractorBuilder optProgress(ProgressListener progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * Validates and builds.
     *
     * @return the extractor
     * @throws IllegalArgumentException naming the setting at fault
     */
    public FeatureExtractor build() {
        if (encoder == null) {
            throw new IllegalArgumentException("FeatureExtractor: encoder is required (setEncoder)");
        }
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("FeatureExtractor: at least one output format is needed");
        }
        if (!tokens && !pooled) {
            throw new IllegalArgumentException("FeatureExtractor: nothing to write (tokens and pooled are off)");
        }
        if (reading != null && reading.transform().training()) {
            throw new IllegalArgumentException("FeatureExtractor: the transform must be an evaluation transform "
                    + "(ClipTransform.eval), not a random training one");
        }
        FeatureExtractor fe = new FeatureExtractor(this);
        if (fe.imageMode() == fe.encoder().config().isVideo()) {
            throw new IllegalArgumentException("FeatureExtractor: image mode " + fe.imageMode() + " does not fit a "
                    + (fe.encoder().config().isVideo() ? "video" : "image") + " encoder");
        }
        fe.encoder().checkInputSize(fe.imageMode() ? 1 : fe.sampling().framesPerClip(), fe.transform().cropSize());
        return fe;
    }
}
