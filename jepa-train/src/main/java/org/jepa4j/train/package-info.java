/**
 * JEPA pretraining: {@link org.jepa4j.train.Trainer} (the public entry: builder, {@code fit()} returning a
 * {@link org.jepa4j.train.TrainingSummary}), the networks of a run ({@link org.jepa4j.train.JepaModel}: context
 * encoder, predictor, EMA target encoder), one optimizer step ({@link org.jepa4j.train.JepaStep}: V-JEPA / I-JEPA
 * loss, gradient accumulation, data parallel replicas, clipping, AdamW, EMA), the data side of a run
 * ({@link org.jepa4j.train.TrainingData}), device selection ({@link org.jepa4j.train.Devices}) and opt-in TF32
 * ({@link org.jepa4j.train.Tf32}).
 *
 * <p>Data flow of a step: loader batch (clips + mask sets) -> context encoder on the context tokens of each mask
 * set -> predictor per mask set -> target encoder on the full clip without gradients -> layer-normed targets at
 * the target ids -> loss -> backward -> clip -> AdamW -> EMA update -> metrics / checkpoint.
 */
package org.jepa4j.train;
