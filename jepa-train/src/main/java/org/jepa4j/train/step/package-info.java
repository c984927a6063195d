/**
 * One JEPA optimizer step and the networks it trains: {@link org.jepa4j.train.step.JepaModel} (context encoder,
 * predictor, EMA target encoder, float32 masters under fp16-mixed), {@link org.jepa4j.train.step.MicroBatch} (pixels
 * and mask sets of one forward/backward pass), {@link org.jepa4j.train.step.JepaStep} (V-JEPA / I-JEPA loss, gradient
 * accumulation, data-parallel replicas, loss scaling, clipping, AdamW, EMA) and
 * {@link org.jepa4j.train.step.StepResult} (what one step did).
 *
 * <p>Data flow of a step: loader batch (clips + mask sets) -> context encoder on the context tokens of each mask
 * set -> predictor per mask set -> target encoder on the full clip without gradients -> layer-normed float32 targets
 * at the target ids -> float32 loss -> backward of the scaled loss -> un-scale + overflow check -> clip -> AdamW on
 * the float32 masters -> masters into the compute weights -> EMA update. The loop around it (data, metrics,
 * checkpoints) is {@link org.jepa4j.train.Trainer}.
 */
package org.jepa4j.train.step;
