package org.jepa4j.train.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.TensorData;
import org.jepa4j.core.model.AttentiveClassifier;
import org.jepa4j.core.model.Module;
import org.jepa4j.train.features.FeatureSet;
import org.jepa4j.train.optim.AdamW;
import org.jepa4j.train.optim.Gradients;
import org.jepa4j.train.optim.WarmupCosineSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a probe on frozen features and evaluates it on a held-out split.
 *
 * <p>Steps: a seeded {@link HeldOutSplit} by sample; a {@link LinearProbe} on pooled features or an
 * {@link AttentiveClassifier} on token features; AdamW ({@link AdamW}, no decay on biases and 1-D parameters)
 * with a linear warmup then cosine decay to 0 of the learning rate; mean cross-entropy over clips, each clip
 * (segment x view) being a training row with its sample's label. Evaluation averages the softmax over the clips
 * of a sample, as the V-JEPA evaluations do over segments and views, and reports top-1.
 *
 * <p>Every batch's arrays live in a per-step sub-manager; the probe's parameters and the optimizer's moments
 * are the only arrays kept across steps. Uses the single {@link GradientCollector} of the JVM while a step runs.
 */
public final class ProbeTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeTrainer.class);

    private ProbeTrainer() {}

    /**
     * Trains and evaluates a probe.
     *
     * @param data the features (tokens needed for {@link ProbeKind#ATTENTIVE})
     * @param config the settings
     * @return accuracies and the trained parameters
     * @throws IllegalArgumentException if the data lacks tokens for an attentive probe, has one class only, or
     *     cannot be split
     */
    public static ProbeResult train(FeatureSet data, ProbeConfig config) {
        return train(data, config, epoch -> { });
    }

    /**
     * As {@link #train(FeatureSet, ProbeConfig)}, calling {@code onEpoch} with each finished epoch (1-based).
     *
     * @param data the features
     * @param config the settings
     * @param onEpoch progress callback
     * @return accuracies and the trained parameters
     */
    public static ProbeResult train(FeatureSet data, ProbeConfig config, IntConsumer onEpoch) {
        checkData(data, config);
        int classes = data.numClasses();
        HeldOutSplit split = HeldOutSplit.bySample(data, config.heldOutFraction(), config.seed());
        return fit(data, split.trainRows(), data, split.heldOutRows(), classes, data.labelNames(), config, onEpoch);
    }

    /**
     * Trains a probe on every row of {@code train} and evaluates it on every row of {@code heldOut} (e.g. freshly
     * recorded videos), instead of splitting one set.
     *
     * @param train the training features
     * @param heldOut the evaluation features, same width (and token count for an attentive probe)
     * @param config the settings ({@link ProbeConfig#heldOutFraction()} is not used)
     * @return accuracies on {@code heldOut} and the trained parameters
     * @throws IllegalArgumentException if the sets differ in width, lack tokens for an attentive probe, or hold one
     *     class only
     */
    public static ProbeResult train(FeatureSet train, FeatureSet heldOut, ProbeConfig config) {
        checkData(train, config);
        checkData(heldOut, config);
        if (train.width() != heldOut.width() || train.numTokens() != heldOut.numTokens()) {
            throw new IllegalArgumentException("training features are " + train.numTokens() + " x " + train.width()
                    + " but held-out features " + heldOut.numTokens() + " x " + heldOut.width());
        }
        int classes = Math.max(train.numClasses(), heldOut.numClasses());
        return fit(train, allRows(train), heldOut, allRows(heldOut), classes, train.labelNames(), config,
                epoch -> { });
    }

    private static void checkData(FeatureSet data, ProbeConfig config) {
        if (config.kind() == ProbeKind.ATTENTIVE && !data.hasTokens()) {
            throw new IllegalArgumentException("the attentive probe needs token features; load the set with tokens");
        }
        int classes = data.numClasses();
        if (classes < 2) {
            throw new IllegalArgumentException("a probe needs at least 2 classes, the features have " + classes);
        }
    }

    private static int[] allRows(FeatureSet data) {
        return java.util.stream.IntStream.range(0, data.size()).toArray();
    }

    private static ProbeResult fit(FeatureSet data, int[] train, FeatureSet evalData, int[] evalRows, int classes,
            java.util.List<String> labelNames, ProbeConfig config, IntConsumer onEpoch) {
        boolean attentive = config.kind() == ProbeKind.ATTENTIVE;
        int width = data.width();
        int tokens = data.numTokens();
        Standardizer standardizer = config.standardize() ? Standardizer.of(data, train, width) : null;
        try (NDManager manager = NDManager.newBaseManager()) {
            Random init = new Random(config.seed());
            Module probe;
            Forward forward;
            if (attentive) {
                AttentiveClassifier c = new AttentiveClassifier(manager, init, width, config.numHeads(width),
                        config.selfAttentionBlocks(), classes, 1e-6f);
                probe = c;
                forward = c::forward;
            } else {
                LinearProbe l = new LinearProbe(manager, init, width, classes);
                probe = l;
                forward = l::forward;
            }
            Map<String, NDArray> params = probe.parameters();
            int stepsPerEpoch = (train.length + config.batchSize() - 1) / config.batchSize();
            long total = (long) stepsPerEpoch * config.epochs();
            WarmupCosineSchedule lr = new WarmupCosineSchedule((long) (config.warmupFraction() * total), 0.0,
                    config.lr(), 0.0, total, false);
            double[] losses = new double[config.epochs()];
            try (AdamW opt = AdamW.builder().build(params)) {
                Gradients.zero(params);
                Random order = new Random(config.seed() ^ 0x5DEECE66DL);
                long step = 0;
                for (int epoch = 0; epoch < config.epochs(); epoch++) {
                    int[] perm = shuffled(train, order);
                    double sum = 0;
                    for (int from = 0; from < perm.length; from += config.batchSize()) {
                        int to = Math.min(perm.length, from + config.batchSize());
                        try (NDManager sub = manager.newSubManager()) {
                            NDArray x = batch(sub, data, perm, from, to, attentive, tokens, width,
                                    standardizer); // [b, (N,) D]
                            NDArray y = labels(sub, data, perm, from, to); // [b]
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                NDArray loss = crossEntropy(forward.apply(x), y); // []
                                gc.backward(loss);
                                sum += loss.getFloat() * (to - from);
                            }
                            opt.step(lr.valueAt(step + 1), config.weightDecay()); // steps are 1-based
                            Gradients.zero(params);
                            step++;
                        }
                    }
                    losses[epoch] = sum / perm.length;
                    LOG.debug("probe epoch {}: loss {}", epoch + 1, losses[epoch]);
                    onEpoch.accept(epoch + 1);
                }
            }
            double[] heldOut = evaluate(evalData, evalRows, classes, forward, manager, config, attentive, tokens, width,
                    standardizer);
            double[] trainAcc = evaluate(data, train, classes, forward, manager, config, attentive, tokens, width,
                    standardizer);
            Map<String, TensorData> saved = new LinkedHashMap<>();
            params.forEach((k, v) -> saved.put(k, SafeTensors.toTensorData(k, v)));
            ProbeResult result = new ProbeResult(config, heldOut[0], heldOut[1], trainAcc[0], (int) heldOut[2],
                    (int) trainAcc[2], classes, labelNames, losses, saved);
            LOG.info("{}", result);
            return result;
        }
    }

    /** Probe forward: features to logits. */
    @FunctionalInterface
    private interface Forward {
        NDArray apply(NDArray features);
    }

    /** Mean cross-entropy of logits {@code [B, K]} against int64 labels {@code [B]}. */
    static NDArray crossEntropy(NDArray logits, NDArray labels) {
        long b = labels.getShape().get(0);
        NDArray logp = logits.logSoftmax(1); // [B, K]
        return logp.gather(labels.reshape(b, 1), 1).mean().neg(); // []
    }

    /** Returns {sample top-1, clip top-1, samples} over the given rows. */
    private static double[] evaluate(FeatureSet data, int[] rows, int classes, Forward forward, NDManager manager,
            ProbeConfig config, boolean attentive, int tokens, int width, Standardizer standardizer) {
        Map<Integer, double[]> probsBySample = new HashMap<>();
        Map<Integer, Integer> labelBySample = new HashMap<>();
        int clipCorrect = 0;
        for (int from = 0; from < rows.length; from += config.batchSize()) {
            int to = Math.min(rows.length, from + config.batchSize());
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = batch(sub, data, rows, from, to, attentive, tokens, width, standardizer);
                float[] p = forward.apply(x).softmax(1).toFloatArray(); // [b, K]
                for (int i = from; i < to; i++) {
                    int r = rows[i];
                    int best = 0;
                    double[] acc = probsBySample.computeIfAbsent(data.sample(r), s -> new double[classes]);
                    labelBySample.put(data.sample(r), data.label(r));
                    for (int k = 0; k < classes; k++) {
                        float v = p[(i - from) * classes + k];
                        acc[k] += v;
                        if (v > p[(i - from) * classes + best]) {
                            best = k;
                        }
                    }
                    clipCorrect += best == data.label(r) ? 1 : 0;
                }
            }
        }
        int correct = 0;
        for (Map.Entry<Integer, double[]> e : probsBySample.entrySet()) {
            double[] acc = e.getValue();
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (acc[k] > acc[best]) {
                    best = k;
                }
            }
            correct += best == labelBySample.get(e.getKey()) ? 1 : 0;
        }
        int samples = probsBySample.size();
        return new double[] {(double) correct / samples, (double) clipCorrect / rows.length, samples};
    }

    private static NDArray batch(NDManager sub, FeatureSet data, int[] rows, int from, int to, boolean attentive,
            int tokens, int width, Standardizer standardizer) {
        int b = to - from;
        int rowLen = attentive ? tokens * width : width;
        float[] buf = new float[b * rowLen];
        for (int i = from; i < to; i++) {
            float[] row = attentive ? data.tokens(rows[i]) : data.pooled(rows[i]);
            if (standardizer != null) {
                row = standardizer.apply(row);
            }
            System.arraycopy(row, 0, buf, (i - from) * rowLen, rowLen);
        }
        return attentive ? sub.create(buf, new Shape(b, tokens, width)) : sub.create(buf, new Shape(b, width));
    }

    /** Per-feature standardization with the training rows' mean and (population) std. */
    private record Standardizer(double[] mean, double[] std) {

        static Standardizer of(FeatureSet data, int[] rows, int width) {
            double[] mean = new double[width];
            double[] var = new double[width];
            for (int r : rows) {
                float[] x = data.pooled(r);
                for (int k = 0; k < width; k++) {
                    mean[k] += x[k] / (double) rows.length;
                }
            }
            for (int r : rows) {
                float[] x = data.pooled(r);
                for (int k = 0; k < width; k++) {
                    var[k] += (x[k] - mean[k]) * (x[k] - mean[k]) / rows.length;
                }
            }
            double[] std = new double[width];
            for (int k = 0; k < width; k++) {
                std[k] = Math.sqrt(var[k]) + 1e-6;
            }
            return new Standardizer(mean, std);
        }

        float[] apply(float[] x) {
            float[] out = new float[x.length];
            for (int k = 0; k < x.length; k++) {
                out[k] = (float) ((x[k] - mean[k]) / std[k]);
            }
            return out;
        }
    }

    private static NDArray labels(NDManager sub, FeatureSet data, int[] rows, int from, int to) {
        long[] y = new long[to - from];
        for (int i = from; i < to; i++) {
            y[i - from] = data.label(rows[i]);
        }
        return sub.create(y);
    }

    private static int[] shuffled(int[] rows, Random rng) {
        int[] p = rows.clone();
        for (int i = p.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
