/**
 * JEPA pretraining: {@link org.jepa4j.train.Trainer} (the public entry: builder, {@code fit()} returning a
 * {@link org.jepa4j.train.TrainingSummary}), the networks of a run ({@link org.jepa4j.train.JepaModel}: context
 * encoder, predictor, EMA target encoder), one optimizer step ({@link org.jepa4j.train.JepaStep}: V-JEPA / I-JEPA
 * loss, gradient accumulation, data parallel replicas, loss scaling, clipping, AdamW, EMA), the data side of a run
 * ({@link org.jepa4j.train.TrainingData}) and device selection ({@link org.jepa4j.train.Devices}). Numeric precision
 * (fp32, tf32, fp16-mixed with float32 masters) comes from {@link org.jepa4j.train.precision}.
 *
 * <p>Data flow of a step: loader batch (clips + mask sets) -> context encoder on the context tokens of each mask
 * set -> predictor per mask set -> target encoder on the full clip without gradients -> layer-normed float32 targets
 * at the target ids -> float32 loss -> backward of the scaled loss -> un-scale + overflow check -> clip -> AdamW on
 * the float32 masters -> masters into the compute weights -> EMA update -> metrics / checkpoint.
 */
package org.jepa4j.train;
