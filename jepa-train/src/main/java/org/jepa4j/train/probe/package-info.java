/**
 * Probes trained on frozen features ({@link org.jepa4j.train.features.FeatureSet}): one API,
 * {@link org.jepa4j.train.probe.ProbeTrainer}, trains a {@link org.jepa4j.train.probe.LinearProbe} on pooled
 * features (optionally standardized) or the V-JEPA 2 attentive probe ({@link org.jepa4j.core.model.AttentiveClassifier})
 * on token features with AdamW, on a seeded, stratified, per-sample {@link org.jepa4j.train.probe.HeldOutSplit} or
 * on an explicit held-out set; the {@link org.jepa4j.train.probe.ProbeResult} reports held-out top-1 and saves the
 * probe's parameters as safetensors. {@link org.jepa4j.train.probe.PooledFeatures} encodes a loader's clips in
 * memory, and {@link org.jepa4j.train.probe.InitComparison} scores a trained target encoder against the same
 * configuration at initialization with the same trainer.
 */
package org.jepa4j.train.probe;
