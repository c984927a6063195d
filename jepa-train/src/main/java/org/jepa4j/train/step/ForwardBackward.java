package org.jepa4j.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.tensor.Autograd;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.core.tensor.Scalars;
import org.jepa4j.train.config.LossConfig;
import org.jepa4j.train.config.LossType;
import org.jepa4j.train.precision.MixedPrecisionOptimizer;
import org.jepa4j.train.precision.Upcast;
import org.jepa4j.video.mask.MaskSet;

/**
 * The forward and backward pass of {@link JepaStep} on a slice of rows of one micro-batch, on one replica and on the
 * calling thread:
 * <pre>
 *   h   = layerNormNoAffine(targetEncoder(x))             [b, N, D]   no gradients
 *   for each mask set i:
 *     z_i = encoder(x, contextIds_i)                       [b, Nc, D]  (computed once per distinct context)
 *     p_i = predictor(z_i, contextIds_i, targetIds_i, i)   [b, Nt, D]
 *     l_i = loss(p_i, gather(h, targetIds_i))              []
 *   backward(scale * mean_i(l_i) * weight)                 gradients accumulate in .grad
 * </pre>
 */
final class ForwardBackward {

    private final LossConfig loss;
    private final int[] maskTokenIndex;
    private final MixedPrecisionOptimizer optimizer;

    /**
     * A pass with a step's settings.
     *
     * @param loss the loss type and its settings
     * @param maskTokenIndex for each mask set, its predictor mask token, or null (set i uses token i)
     * @param optimizer the optimizer whose loss scale multiplies the loss before backward
     */
    ForwardBackward(LossConfig loss, int[] maskTokenIndex, MixedPrecisionOptimizer optimizer) {
        this.loss = loss;
        this.maskTokenIndex = maskTokenIndex;
        this.optimizer = optimizer;
    }

    /**
     * Forward and backward of rows [from, to) of a micro-batch on one replica, on the calling thread.
     *
     * @return per-set loss values times {@code weight}
     */
    double[] run(JepaModel model, MicroBatch mb, int from, int to, double weight, StepPhases phases) {
        List<MaskSet> masks = mb.masks();
        int numSets = masks.size();
        double[] out = new double[numSets];
        try (NDScope scope = new NDScope(); Autograd rec = Autograd.record()) {
            NDArray x = mb.video();
            if (from != 0 || to != x.getShape().get(0)) {
                x = x.get(new NDIndex("{}:{}", from, to));
            }
            if (!x.getDevice().equals(model.device())) {
                x = x.toDevice(model.device(), false); // [b, C, (T,) H, W]
            }
            final NDArray input = x;
            NDManager m = x.getManager();
            NDArray h;
            try (NoGrad ignored = NoGrad.enter()) {
                h = JepaLoss.layerNormNoAffine(Upcast.detached(model.targetEncoder().forward(x))); // [b, N, D] fp32
            }
            StepPhases.mark(phases, StepPhases.TARGET);
            Map<long[][], NDArray[]> contexts = new IdentityHashMap<>(); // context rows -> {ids, features}
            List<NDArray> setLosses = new ArrayList<>(numSets);
            for (int i = 0; i < numSets; i++) {
                MaskSet set = masks.get(i);
                NDArray[] ctx = contexts.computeIfAbsent(set.context(), c -> {
                    NDArray ids = ids(m, c, from, to); // [b, Nc]
                    return new NDArray[] {ids, model.encoder().forward(input, ids)}; // [b, Nc, D]
                });
                StepPhases.mark(phases, StepPhases.ENCODER);
                NDArray targetIds = ids(m, set.target(), from, to); // [b, Nt]
                NDArray pred = model.predictor().forward(ctx[1], ctx[0], targetIds, maskTokenIndex(i)); // [b, Nt, D]
                StepPhases.mark(phases, StepPhases.PREDICTOR);
                NDArray target = JepaLoss.gatherTokens(h, targetIds); // [b, Nt, D] float32
                setLosses.add(lossOf(pred, target)); // [] float32 (float16 - float32 promotes)
                StepPhases.mark(phases, StepPhases.LOSS);
            }
            NDArray total = setLosses.get(0);
            for (int i = 1; i < numSets; i++) {
                total = total.add(setLosses.get(i));
            }
            total = total.mul(Scalars.like(total, weight / numSets)); // [] this slice's share of the step's mean loss
            StepPhases.mark(phases, StepPhases.LOSS);
            Autograd.backward(optimizer.scaleLoss(total)); // scaled so that float16 gradients do not underflow
            for (int i = 0; i < numSets; i++) {
                out[i] = setLosses.get(i).getFloat() * weight;
            }
            StepPhases.mark(phases, StepPhases.BACKWARD);
        }
        return out;
    }

    private NDArray lossOf(NDArray pred, NDArray target) {
        if (loss.type() == LossType.SMOOTH_L1) {
            return JepaLoss.smoothL1(pred, target);
        }
        return JepaLoss.vjepaLoss(List.of(pred), List.of(target), loss.lossExp());
    }

    private int maskTokenIndex(int set) {
        return maskTokenIndex == null ? set : maskTokenIndex[set % maskTokenIndex.length];
    }

    private static NDArray ids(NDManager m, long[][] rows, int from, int to) {
        int k = rows[from].length;
        long[] flat = new long[(to - from) * k];
        for (int r = from; r < to; r++) {
            System.arraycopy(rows[r], 0, flat, (r - from) * k, k);
        }
        return m.create(flat, new Shape(to - from, k)); // int64 [b, K]
    }
}
