package org.jepa4j.train.precision;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.PredictorConfig;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.core.target.EmaUpdater;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.train.config.Precision;
import org.jepa4j.train.optim.AdamW;
import org.jepa4j.train.optim.Gradients;

/**
 * A tiny V-JEPA-like training loop for tests (the trainer is not used): RoPE video encoder, predictor, L1 loss
 * against the layer-normed EMA target on videos mixing four fixed random patterns, with random context/target token
 * splits, all drawn from a seeded {@link Random} so that every policy sees the same data.
 */
final class TinyJepaRun implements AutoCloseable {

    static final VitConfig ENCODER = VitConfig.builder().setWidth(32).setDepth(2).setNumHeads(2).optFrames(2)
            .optTubeletSize(2).optImageSize(16).optPatchSize(4).optPositionKind(PositionKind.ROPE_3D).build(); // 16 tokens
    static final PredictorConfig PREDICTOR = PredictorConfig.builder(ENCODER).setWidth(16).setDepth(1).setNumHeads(2)
            .optNumMaskTokens(1).build();
    static final int BATCH = 2;
    static final int CONTEXT = 10;

    /** Fixed random patterns; every video is a random mix of them plus a little noise (learnable structure). */
    private static final float[][] PATTERNS = patterns(4, 3 * 2 * 16 * 16, 1234);

    final PrecisionPolicy policy;
    final NDManager manager;
    final VisionTransformer encoder;
    final Predictor predictor;
    final VisionTransformer target;
    final MasterWeights weights;
    final MasterWeights targetWeights;
    final MixedPrecisionOptimizer optimizer;
    private final Random data;
    final List<Float> losses = new ArrayList<>();
    double emaMomentum = 0.995;
    final List<MixedPrecisionOptimizer.Update> results = new ArrayList<>();

    TinyJepaRun(Precision precision, boolean fp16Target, DynamicLossScaler scaler, long seed) {
        policy = PrecisionPolicy.resolve(precision, Device.cpu()).withFp16Target(fp16Target);
        manager = NDManager.newBaseManager(Device.cpu());
        // float32 reference values from the seed: the masters start from them exactly
        VisionTransformer encoder32 = new VisionTransformer(ENCODER, manager, seed);
        Predictor predictor32 = new Predictor(PREDICTOR, manager, seed + 1);
        Map<String, NDArray> values = flat(encoder32.parameters(), predictor32.parameters());
        if (policy.isMixed()) {
            try (var ignored = policy.computeParameters()) {
                encoder = new VisionTransformer(ENCODER, manager, seed);
                predictor = new Predictor(PREDICTOR, manager, seed + 1);
            }
        } else {
            encoder = encoder32;
            predictor = predictor32;
        }
        try (var ignored = policy.targetParameters()) {
            target = new VisionTransformer(ENCODER, manager, seed);
        }
        target.setTrainable(false);
        weights = MasterWeights.fromValues(flat(encoder.parameters(), predictor.parameters()), values);
        targetWeights = MasterWeights.fromValues(target.parameters(), encoder32.parameters());
        optimizer = MixedPrecisionOptimizer.create(weights, AdamW.builder(),
                scaler != null ? scaler : policy.newLossScaler());
        data = new Random(seed + 2);
        warmUp();
    }

    private static float[][] patterns(int count, int size, long seed) {
        Random r = new Random(seed);
        float[][] out = new float[count][size];
        for (float[] p : out) {
            for (int i = 0; i < size; i++) {
                p[i] = (float) r.nextGaussian();
            }
        }
        return out;
    }

    private static Map<String, NDArray> flat(Map<String, NDArray> enc, Map<String, NDArray> pred) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        enc.forEach((k, v) -> out.put("encoder." + k, v));
        pred.forEach((k, v) -> out.put("predictor." + k, v));
        return out;
    }

    /** Fills the full-input RoPE caches outside any step scope. */
    private void warmUp() {
        try (NDManager sub = manager.newSubManager(); NoGrad ignored = NoGrad.enter()) {
            target.forward(sub.zeros(new Shape(1, 3, 2, 16, 16)));
        }
    }

    /** Runs {@code steps} training steps at a constant learning rate; losses and step results are appended. */
    void train(int steps, double lr) {
        for (int i = 0; i < steps; i++) {
            step(lr);
        }
    }

    /**
     * Runs {@code steps} steps with 10 warmup steps to {@code peakLr}, then a cosine decay to zero, so that the run
     * ends on a plateau (where tiny rounding differences no longer move the loss much).
     */
    void trainCosine(int steps, double peakLr) {
        for (int i = 0; i < steps; i++) {
            double lr = i < 10 ? peakLr * (i + 1) / 10 : peakLr * 0.5 * (1 + Math.cos(Math.PI * (i - 10) / (steps - 10)));
            step(lr);
        }
    }

    private void step(double lr) {
        int n = ENCODER.numTokens();
        int perVideo = 3 * 2 * 16 * 16;
        float[] pixels = new float[BATCH * perVideo];
        for (int b = 0; b < BATCH; b++) {
            double[] c = new double[PATTERNS.length];
            for (int k = 0; k < c.length; k++) {
                c[k] = data.nextGaussian();
            }
            for (int i = 0; i < perVideo; i++) {
                double v = 0.1 * data.nextGaussian();
                for (int k = 0; k < c.length; k++) {
                    v += c[k] * PATTERNS[k][i];
                }
                pixels[b * perVideo + i] = (float) v;
            }
        }
        long[] ctx = new long[BATCH * CONTEXT];
        long[] tgt = new long[BATCH * (n - CONTEXT)];
        for (int b = 0; b < BATCH; b++) {
            List<Long> ids = new ArrayList<>();
            for (long t = 0; t < n; t++) {
                ids.add(t);
            }
            java.util.Collections.shuffle(ids, data);
            for (int k = 0; k < n; k++) {
                if (k < CONTEXT) {
                    ctx[b * CONTEXT + k] = ids.get(k);
                } else {
                    tgt[b * (n - CONTEXT) + k - CONTEXT] = ids.get(k);
                }
            }
        }
        try (NDScope scope = new NDScope()) {
            NDArray video = manager.create(pixels, new Shape(BATCH, 3, 2, 16, 16));
            NDArray ctxIds = manager.create(ctx, new Shape(BATCH, CONTEXT));
            NDArray tgtIds = manager.create(tgt, new Shape(BATCH, n - CONTEXT));
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                List<NDArray> targets;
                try (NoGrad ignored = NoGrad.enter()) {
                    NDArray h = Upcast.detached(target.forward(video)); // [B, N, D] float32
                    targets = JepaLoss.maskedTargets(h, List.of(tgtIds)); // float32 layer norm
                }
                NDArray z = encoder.forward(video, ctxIds); // [B, Nc, D] compute type
                NDArray p = predictor.forward(z, ctxIds, tgtIds, 0); // [B, Nt, D]
                loss = JepaLoss.vjepaLoss(List.of(p), targets); // float32 by promotion
                gc.backward(optimizer.scaleLoss(loss));
            }
            MixedPrecisionOptimizer.Update r = optimizer.step(lr, 0.04, 10.0);
            Gradients.zero(weights.compute());
            if (r.applied()) {
                EmaUpdater.update(targetWeights.masters(), weights.masters("encoder."), emaMomentum);
                targetWeights.copyToCompute();
            }
            losses.add(loss.getFloat());
            results.add(r);
        }
    }

    /** The live encoder and predictor parameters, names prefixed as the masters. */
    Map<String, NDArray> encoderAndPredictorParameters() {
        return flat(encoder.parameters(), predictor.parameters());
    }

    /** Mean loss over the last {@code k} steps. */
    double meanLastLosses(int k) {
        return losses.subList(losses.size() - k, losses.size()).stream().mapToDouble(Float::doubleValue).average()
                .orElseThrow();
    }

    @Override
    public void close() {
        optimizer.close();
        targetWeights.close();
        weights.close();
        manager.close();
    }
}
