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

    /**
     * An update that was applied.
     *
     * @param loss total loss
     * @param lossPerMaskSet loss of each mask set
     * @param gradNorm global gradient norm before clipping
     * @param clipped whether clipping changed the gradients
     * @param lossScale the loss scale the gradients were computed with
     * @return the result
     */
    public static StepResult applied(double loss, List<Double> lossPerMaskSet, double gradNorm, boolean clipped,
            double lossScale) {
        return new StepResult(loss, lossPerMaskSet, gradNorm, clipped, false, false, lossScale);
    }

    /**
     * An update skipped for a non-finite loss (bad input or diverged weights); no gradient norm was computed.
     *
     * @param loss the non-finite total loss
     * @param lossPerMaskSet loss of each mask set
     * @param lossScale the loss scale in force
     * @return the result
     */
    public static StepResult nonFiniteLoss(double loss, List<Double> lossPerMaskSet, double lossScale) {
        return new StepResult(loss, lossPerMaskSet, Double.NaN, false, true, false, lossScale);
    }

    /**
     * An update skipped for non-finite gradients of a finite loss.
     *
     * @param loss total loss
     * @param lossPerMaskSet loss of each mask set
     * @param gradNorm the non-finite gradient norm
     * @param overflow whether it counts as a float16 overflow (a loss scaler is in use and halved its scale)
     * @param lossScale the loss scale the gradients were computed with
     * @return the result
     */
    public static StepResult nonFiniteGradients(double loss, List<Double> lossPerMaskSet, double gradNorm,
            boolean overflow, double lossScale) {
        return new StepResult(loss, lossPerMaskSet, gradNorm, false, true, overflow, lossScale);
    }
}
