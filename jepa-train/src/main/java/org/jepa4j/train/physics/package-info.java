/**
 * Intuitive physics by violation of expectation (Garrido et al. 2025): a JEPA world model is scored by its
 * <em>surprise</em>, the error of its predicted future against what the target encoder sees, on matched
 * possible/impossible video pairs.
 *
 * <p>Data flows one way: {@link org.jepa4j.train.physics.PairsFile} (CSV of pairs) →
 * {@link org.jepa4j.train.physics.VideoFrames} (decoded at the model's size) → a
 * {@link org.jepa4j.train.physics.SurpriseMeasure} per video ({@link org.jepa4j.train.physics.ModelSurprise} for a
 * {@link org.jepa4j.train.physics.SurpriseModel} and its random inits, {@link org.jepa4j.train.physics.PixelSurprise}
 * for the pixel baseline) → {@link org.jepa4j.train.physics.VoeScores} (pairwise accuracy from mean surprise, AUROC
 * from max surprise) → {@link org.jepa4j.train.physics.PhysicsReport} (JSON) and
 * {@link org.jepa4j.train.physics.SurpriseCurves} (CSV, PNG). {@link org.jepa4j.train.physics.PhysicsEvaluation}
 * runs the whole chain.
 */
package org.jepa4j.train.physics;
