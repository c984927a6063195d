/**
 * Training action-conditioned world models (V-JEPA 2-AC) on frozen features: the episode dataset format
 * ({@link org.jepa4j.train.world.EpisodeDataset}), frames read ({@link org.jepa4j.train.world.FrameReader}) and
 * encoded one by one ({@link org.jepa4j.train.world.FrameEncoder}), an optional on-disk cache of the features
 * ({@link org.jepa4j.train.world.FeatureCache}), batches ({@link org.jepa4j.train.world.ClipBatches}), the training
 * step ({@link org.jepa4j.train.world.WorldModelStep}: teacher forcing + rollout), the trainer writing a run directory
 * ({@link org.jepa4j.train.world.WorldModelTrainer}, configured by {@link org.jepa4j.train.world.WorldTrainConfig}),
 * the trained model loaded back for planning ({@link org.jepa4j.train.world.WorldModel}) and its evaluation against
 * a copy-the-last-frame baseline ({@link org.jepa4j.train.world.WorldModelEvaluation}).
 */
package org.jepa4j.train.world;
