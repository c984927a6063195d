package org.jepa4j.spark;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;
import org.jepa4j.train.features.FeatureExtractor;
import org.jepa4j.train.features.FeatureFormat;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.loader.ClipReading;
import org.jepa4j.video.transform.ClipTransform;
import org.jepa4j.video.transform.Normalization;

/**
 * The settings of a {@link FeatureExtractor}, in a serializable form that travels with the job's tasks: every
 * executor rebuilds the same extractor around its own {@link ExecutorEncoder}.
 *
 * @param encoder where the encoder is
 * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} (a task's scheduled GPU wins)
 * @param framesPerClip clip sampling: frames per clip
 * @param frameStep clip sampling: frame step (the fallback when sampling at a frame rate)
 * @param targetFps clip sampling: frame rate (0 when sampling by step)
 * @param clipsPerVideo clip sampling: temporal segments per video
 * @param crop crop size
 * @param views spatial views per clip
 * @param decodeShortSide short side of decoded frames
 * @param mean normalization mean per channel
 * @param std normalization std per channel
 * @param imageMode read images instead of videos
 * @param batchSize samples per forward pass
 * @param workers decoding threads per task
 * @param safetensors file layout: write safetensors
 * @param npy file layout: write .npy
 * @param tokens keep token features
 * @param pooled keep pooled features
 */
record TaskSettings(EncoderSpec encoder, String device, int framesPerClip, int frameStep, double targetFps,
        int clipsPerVideo, int crop, int views, int decodeShortSide, float[] mean, float[] std, boolean imageMode,
        int batchSize, int workers, boolean safetensors, boolean npy, boolean tokens, boolean pooled)
        implements Serializable {

    /** The settings of {@code fx} (its resolved sampling and transform). */
    static TaskSettings of(EncoderSpec encoder, String device, FeatureExtractor fx, Set<FeatureFormat> formats,
            boolean tokens, boolean pooled) {
        ClipReading r = fx.reading();
        ClipSampling s = r.sampling();
        ClipTransform t = r.transform();
        return new TaskSettings(encoder, device, s.framesPerClip(), s.frameStep(), s.targetFps(), s.clipsPerVideo(),
                t.cropSize(), t.viewsPerClip(), t.decodeShortSide(), t.normalization().mean(),
                t.normalization().std(), r.imageMode(), r.batchSize(), r.workers(),
                formats.contains(FeatureFormat.SAFETENSORS), formats.contains(FeatureFormat.NPY), tokens, pooled);
    }

    /** The output file formats (the Parquet layout ignores them). */
    Set<FeatureFormat> formats() {
        Set<FeatureFormat> f = EnumSet.noneOf(FeatureFormat.class);
        if (safetensors) {
            f.add(FeatureFormat.SAFETENSORS);
        }
        if (npy) {
            f.add(FeatureFormat.NPY);
        }
        return f.isEmpty() ? EnumSet.of(FeatureFormat.SAFETENSORS) : f;
    }

    /** The extractor these settings describe, around {@code encoder}. */
    FeatureExtractor extractor(FrozenEncoder enc, boolean resume) {
        ClipSampling sampling = new ClipSampling(framesPerClip, frameStep, targetFps, clipsPerVideo);
        ClipTransform transform = ClipTransform.eval(crop, views).withDecodeShortSide(decodeShortSide)
                .withNormalization(new Normalization(mean, std));
        return FeatureExtractor.builder().setEncoder(enc)
                .optReading(new ClipReading(sampling, transform, imageMode, batchSize, workers)).optFormats(formats())
                .optTokens(tokens).optPooled(pooled).optResume(resume).build();
    }
}
