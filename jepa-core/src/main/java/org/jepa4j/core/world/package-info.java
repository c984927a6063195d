/**
 * World models: the action-conditioned predictor of V-JEPA 2-AC
 * ({@link org.jepa4j.core.world.ActionConditionedPredictor}, configured by
 * {@link org.jepa4j.core.world.AcPredictorConfig}), which predicts a frozen encoder's tokens of the next frame
 * from the current frames' tokens, the actions taken and the states observed. Training it lives in
 * {@code org.jepa4j.train.world}; planning with it in {@code org.jepa4j.train.plan}.
 */
package org.jepa4j.core.world;
