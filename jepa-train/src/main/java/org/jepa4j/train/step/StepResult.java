package org.jepa4j.train.step;

import java.util.List;

/**
 * What one optimizer step did.
 *
 * @param loss total loss (mean over mask sets, averaged over the micro-batches); NaN or infinite when skipped for
 *     that reason
 * @param lossPerMaskSet loss of each mask set, in order
 * @param gradNorm global L2 norm of the gradients before clipping
 * @param clipped whether clipping changed the gradients
 * @param skipped whether the update was skipped because the loss or gradients were not finite
 * @param overflow whether it was skipped for a float16 gradient overflow of a finite loss (fp16-mixed only; the loss
 *     scale was halved): expected now and then, unlike a non-finite loss
 * @param lossScale the loss scale the gradients were computed with (1 under fp32/tf32)
 */
public record StepResult(double loss, List<Double> lossPerMaskSet, double gradNorm, boolean clipped, boolean skipped,
        boolean overflow, double lossScale) {

    /** Copies the list. */
    public StepResult {
        lossPerMaskSet = List.copyOf(lossPerMaskSet);
    }
}
