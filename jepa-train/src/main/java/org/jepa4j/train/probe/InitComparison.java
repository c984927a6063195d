package org.jepa4j.train.probe;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.train.step.JepaModel;
import org.jepa4j.train.TrainingData;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.features.FeatureSet;
import org.jepa4j.train.run.Checkpoint;
import org.jepa4j.train.run.Checkpointer;
import org.jepa4j.video.loader.ClipLoader;
import org.jepa4j.video.source.VideoSource;

/**
 * Linear-probe accuracy of a trained target encoder next to the same configuration's encoder at initialization
 * (same seed as the training run): did pretraining make a binary label, e.g. the motion direction of
 * synthetic clips, more linearly separable in the mean-pooled features? Both encoders see the same clips through
 * the run's evaluation transform; a linear probe ({@link ProbeTrainer}, {@link #PROBE}: standardized features,
 * full-batch AdamW) is trained on one set of videos and scored on held-out videos. Runs on the CPU.
 *
 * @param trained held-out accuracy of the trained target encoder
 * @param randomInit held-out accuracy of the target encoder at initialization
 * @param trainClips clips the probe was trained on
 * @param heldOutClips held-out clips it was scored on
 */
public record InitComparison(double trained, double randomInit, int trainClips, int heldOutClips) {

    /**
     * The probe: linear on standardized mean-pooled features, full batch (every training clip in each step),
     * 300 AdamW steps with a short warmup and cosine decay, seed 0.
     */
    public static final ProbeConfig PROBE = ProbeConfig.builder(ProbeKind.LINEAR).optEpochs(300).optBatchSize(4096)
            .optLr(0.05).optWeightDecay(1e-3).optWarmupFraction(0.05).optStandardize(true).build();

    /**
     * Loads the target encoder of {@code checkpoint} and builds the initial model of {@code config}, then probes
     * both.
     *
     * @param config the run's configuration (model, clip sampling, crop size, normalization, seed)
     * @param checkpoint a checkpoint folder of that run ({@code checkpoints/step-...})
     * @param train labelled videos the probe is trained on (may be the pretraining videos)
     * @param heldOut labelled videos it is scored on (none of them in {@code train})
     * @return both accuracies
     * @throws IOException if the checkpoint cannot be read
     */
    public static InitComparison evaluate(TrainConfig config, Path checkpoint, VideoSource train, VideoSource heldOut)
            throws IOException {
        try (JepaModel init = JepaModel.create(config, Device.cpu(), config.meta().seed());
                JepaModel learned = JepaModel.create(config, Device.cpu(), 0);
                Checkpoint cp = new Checkpointer(checkpoint.getParent(), Integer.MAX_VALUE)
                        .load(checkpoint, learned.manager())) {
            learned.load(cp);
            FeatureSet[] a = features(learned.targetEncoder(), config, train, heldOut);
            FeatureSet[] b = features(init.targetEncoder(), config, train, heldOut);
            return new InitComparison(accuracy(a), accuracy(b), a[0].size(), a[1].size());
        }
    }

    /**
     * Held-out probe accuracy of one encoder.
     *
     * @param encoder the frozen encoder
     * @param config configuration giving the clip sampling and evaluation transform
     * @param train labelled videos the probe is trained on
     * @param heldOut labelled videos it is scored on
     * @return the share of held-out clips classified correctly
     */
    public static double probe(VisionTransformer encoder, TrainConfig config, VideoSource train, VideoSource heldOut) {
        return accuracy(features(encoder, config, train, heldOut));
    }

    /** Held-out clip accuracy of {@link #PROBE} trained on {@code f[0]} and scored on {@code f[1]}. */
    private static double accuracy(FeatureSet[] f) {
        return ProbeTrainer.train(f[0], f[1], PROBE).heldOutClipTop1();
    }

    private static FeatureSet[] features(VisionTransformer encoder, TrainConfig config, VideoSource train,
            VideoSource heldOut) {
        try (ClipLoader a = evalLoader(config, train); ClipLoader b = evalLoader(config, heldOut)) {
            return new FeatureSet[] {PooledFeatures.of(encoder, a), PooledFeatures.of(encoder, b)};
        }
    }

    private static ClipLoader evalLoader(TrainConfig config, VideoSource source) {
        return ClipLoader.builder().setSource(source).setBatchSize(16).optSampling(TrainingData.sampling(config))
                .optTransform(TrainingData.evalTransform(config)).optShuffle(false).optWorkers(2).build();
    }
}
