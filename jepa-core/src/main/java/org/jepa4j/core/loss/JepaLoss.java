package org.jepa4j.core.loss;

import ai.djl.ndarray.NDArray;
import org.jepa4j.core.tensor.Scalars;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * JEPA losses and the target-side helpers they need, reproducing facebookresearch/jepa ({@code app/vjepa/train.py}),
 * facebookresearch/vjepa2 and facebookresearch/ijepa ({@code src/train.py}).
 *
 * <p>Training step, target side (no gradients): {@code h = targetEncoder(x)} [B, N, D];
 * {@code h = layerNormNoAffine(h)} (the references call {@code F.layer_norm(h, (h.size(-1),))}, i.e. no weight, no
 * bias, and PyTorch's default {@code eps = 1e-5}, not the 1e-6 of the encoders' own LayerNorms); then for every
 * mask set {@code hi = gatherTokens(h, targetIds_i)} [B, Nt, D]. Prediction side: {@code zi} [B, Nt, D] from the
 * predictor. Loss: {@link #vjepaLoss} (V-JEPA 1/2) or {@link #smoothL1} (I-JEPA).
 *
 * <p>All loss functions detach their targets ({@code stopGradient}), so gradients reach the predictions only,
 * whatever the caller passes. Results are 0-d FLOAT32 arrays owned by the first prediction's manager.
 */
public final class JepaLoss {

    /** PyTorch's {@code F.layer_norm} default epsilon, used by the references for target features. */
    public static final float TARGET_LAYER_NORM_EPS = 1e-5f;

    private JepaLoss() {
    }

    /**
     * V-JEPA loss with the default exponent 1 (L1): {@code mean over sets of mean(|z_i - h_i|)}.
     *
     * @param predictions predictor outputs per mask set, each [B, Nt_i, D]
     * @param targets target features per mask set, same shapes; detached inside
     * @return the scalar loss
     */
    public static NDArray vjepaLoss(List<NDArray> predictions, List<NDArray> targets) {
        return vjepaLoss(predictions, targets, 1.0);
    }

    /**
     * V-JEPA loss: for each mask set {@code mean(|z_i - h_i|^p) / p}, then the mean over the sets (the references'
     * {@code loss_exp}; p = 1 in every published config).
     *
     * @param predictions predictor outputs per mask set, each [B, Nt_i, D] (any shape, matching its target)
     * @param targets target features per mask set, same shapes; detached inside
     * @param exponent {@code p > 0}
     * @return the scalar loss
     * @throws IllegalArgumentException if the lists are empty or differ in length, shapes differ, or p <= 0
     */
    public static NDArray vjepaLoss(List<NDArray> predictions, List<NDArray> targets, double exponent) {
        checkPairs(predictions, targets);
        if (!(exponent > 0)) {
            throw new IllegalArgumentException("loss exponent must be > 0, got " + exponent);
        }
        NDArray total = null;
        for (int i = 0; i < predictions.size(); i++) {
            NDArray z = predictions.get(i); // [B, Nt, D]
            NDArray h = targets.get(i).stopGradient(); // [B, Nt, D], constant
            NDArray err = z.sub(h).abs(); // [B, Nt, D]
            if (exponent == 2.0) {
                err = err.square();
            } else if (exponent != 1.0) {
                err = err.pow(Scalars.like(err, exponent));
            }
            NDArray term = err.mean(); // []
            if (exponent != 1.0) {
                term = term.div(Scalars.like(term, exponent));
            }
            total = total == null ? term : total.add(term);
        }
        return predictions.size() == 1 ? total : total.div(Scalars.like(total, predictions.size())); // []
    }

    /**
     * I-JEPA loss: smooth L1 with {@code beta = 1} ({@code F.smooth_l1_loss} defaults), mean over all elements.
     *
     * @param prediction predictor output, e.g. [B*M, Nt, D]
     * @param target target features of the same shape; detached inside
     * @return the scalar loss
     */
    public static NDArray smoothL1(NDArray prediction, NDArray target) {
        return smoothL1(prediction, target, 1.0f);
    }

    /**
     * Smooth L1 (Huber divided by beta), mean over all elements: per element {@code 0.5 d^2 / beta} if
     * {@code |d| < beta}, else {@code |d| - 0.5 beta}.
     *
     * @param prediction any shape
     * @param target same shape; detached inside
     * @param beta the threshold, > 0
     * @return the scalar loss
     */
    public static NDArray smoothL1(NDArray prediction, NDArray target, float beta) {
        checkSameShape(prediction, target, "prediction", "target");
        if (!(beta > 0)) {
            throw new IllegalArgumentException("smooth L1 beta must be > 0, got " + beta);
        }
        NDArray d = prediction.sub(target.stopGradient()).abs(); // [*]
        NDArray q = d.clip(0f, beta); // min(|d|, beta)
        // q * (|d| - q/2) / beta = 0.5 d^2 / beta below beta, |d| - beta/2 above; gradient clamp(d, -beta, beta)/beta
        NDArray perElement = q.mul(d.sub(q.mul(Scalars.like(q, 0.5))));
        NDArray loss = perElement.mean(); // []
        return beta == 1f ? loss : loss.div(Scalars.like(loss, beta));
    }

    /**
     * Layer norm over the last axis with no weight and no bias, eps {@link #TARGET_LAYER_NORM_EPS} (1e-5), as the
     * references apply to target features.
     *
     * @param x features [..., D]
     * @return normalized features [..., D]
     */
    public static NDArray layerNormNoAffine(NDArray x) {
        return layerNormNoAffine(x, TARGET_LAYER_NORM_EPS);
    }

    /**
     * Layer norm over the last axis with no weight and no bias: {@code (x - mean) / sqrt(var + eps)}, biased
     * variance, as {@code F.layer_norm(x, (x.size(-1),), eps=eps)}. Differentiable (uses the fused native op).
     *
     * @param x features [..., D]
     * @param eps added to the variance
     * @return normalized features [..., D], owned by x's manager
     */
    public static NDArray layerNormNoAffine(NDArray x, float eps) {
        Shape shape = x.getShape();
        if (shape.dimension() == 0) {
            throw new IllegalArgumentException("layer norm needs at least one axis, got a scalar");
        }
        long d = shape.get(shape.dimension() - 1);
        NDManager manager = x.getManager();
        try (NDArray gamma = manager.ones(new Shape(d), x.getDataType());
                NDArray beta = manager.zeros(new Shape(d), x.getDataType())) {
            NDList out = x.getNDArrayInternal().layerNorm(x, new Shape(d), gamma, beta, eps);
            return out.singletonOrThrow(); // [..., D]
        }
    }

    /**
     * Gathers tokens by id along the token axis, differentiably: {@code out[b, k, :] = feats[b, ids[b, k], :]}
     * (the references' {@code apply_masks} for one mask set).
     *
     * @param feats token features [B, N, D]
     * @param ids token ids [B, K] (or [K], the same ids for every batch row), integer typed, each in [0, N)
     * @return the gathered features [B, K, D], owned by feats' manager
     * @throws IllegalArgumentException on shape or type mismatches
     */
    public static NDArray gatherTokens(NDArray feats, NDArray ids) {
        Shape fs = feats.getShape();
        Shape is = ids.getShape();
        if (fs.dimension() != 3) {
            throw new IllegalArgumentException("gatherTokens: feats must be [B, N, D], got " + fs);
        }
        if (!ids.getDataType().isInteger()) {
            throw new IllegalArgumentException("gatherTokens: ids must be integers, got " + ids.getDataType());
        }
        long b = fs.get(0);
        long dim = fs.get(2);
        NDArray index = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        if (is.dimension() == 1) {
            index = index.expandDims(0).broadcast(new Shape(b, is.get(0))); // [K] -> [B, K]
        } else if (is.dimension() != 2 || is.get(0) != b) {
            throw new IllegalArgumentException("gatherTokens: ids must be [B, K] with B = " + b + " (or [K]), got "
                    + is);
        }
        long k = index.getShape().get(1);
        NDArray expanded = index.expandDims(2).broadcast(new Shape(b, k, dim)); // [B, K, D]
        return feats.gather(expanded, 1); // [B, K, D]
    }

    /**
     * Target features for every mask set: layer norm without affine parameters (eps 1e-5), then the tokens of
     * each set. Call it on the target encoder's output, under {@code NoGrad} or with a frozen target encoder.
     *
     * @param targetFeatures target encoder output [B, N, D]
     * @param targetIds per mask set, token ids [B, Nt_i]
     * @return per mask set, [B, Nt_i, D]
     */
    public static List<NDArray> maskedTargets(NDArray targetFeatures, List<NDArray> targetIds) {
        NDArray h = layerNormNoAffine(targetFeatures); // [B, N, D]
        List<NDArray> out = new ArrayList<>(targetIds.size());
        for (NDArray ids : targetIds) {
            out.add(gatherTokens(h, ids)); // [B, Nt_i, D]
        }
        return out;
    }

    private static void checkPairs(List<NDArray> predictions, List<NDArray> targets) {
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("no mask sets: predictions is empty");
        }
        if (predictions.size() != targets.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions but " + targets.size()
                    + " targets: one of each per mask set");
        }
        for (int i = 0; i < predictions.size(); i++) {
            checkSameShape(predictions.get(i), targets.get(i), "prediction " + i, "target " + i);
        }
    }

    private static void checkSameShape(NDArray a, NDArray b, String aName, String bName) {
        if (!a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException(aName + " has shape " + a.getShape() + " but " + bName + " has "
                    + b.getShape());
        }
    }
}
