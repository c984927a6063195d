package org.jepa4j.train;

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
 */
public record StepResult(double loss, List<Double> lossPerMaskSet, double gradNorm, boolean clipped, boolean skipped) {

    /** Copies the list. */
    public StepResult {
        lossPerMaskSet = List.copyOf(lossPerMaskSet);
    }
}
