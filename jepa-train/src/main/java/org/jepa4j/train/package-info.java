/**
 * JEPA pretraining: {@link org.jepa4j.train.Trainer} (the public entry: builder, {@code fit()} returning a
 * {@link org.jepa4j.train.TrainingSummary}), the data side of a run ({@link org.jepa4j.train.TrainingData}), device
 * selection ({@link org.jepa4j.train.Devices}), stop signals and listeners. One optimizer step and the networks it
 * trains are in {@link org.jepa4j.train.step}; checkpoints and the run directory in {@link org.jepa4j.train.run};
 * numeric precision (fp32, tf32, fp16-mixed with float32 masters) in {@link org.jepa4j.train.precision}.
 *
 * <p>Data flow of a run: configuration -> data (clips + mask sets) -> {@link org.jepa4j.train.step.JepaStep} per
 * batch -> NaN guard -> metrics -> checkpoint ({@link org.jepa4j.train.run.CheckpointLayout}).
 */
package org.jepa4j.train;
