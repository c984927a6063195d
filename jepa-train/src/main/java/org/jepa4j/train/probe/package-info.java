/**
 * Probes trained on frozen features ({@link org.jepa4j.train.features.FeatureSet}): a
 * {@link org.jepa4j.train.probe.LinearProbe} on pooled features and the V-JEPA 2 attentive probe
 * ({@link org.jepa4j.core.model.AttentiveClassifier}) on token features, trained by
 * {@link org.jepa4j.train.probe.ProbeTrainer} with AdamW on a seeded, stratified, per-sample
 * {@link org.jepa4j.train.probe.HeldOutSplit}; the {@link org.jepa4j.train.probe.ProbeResult} reports held-out
 * top-1 and saves the probe's parameters as safetensors. A quicker check in plain Java:
 * {@link org.jepa4j.train.probe.LogisticProbe} (binary logistic regression) on
 * {@link org.jepa4j.train.probe.PooledFeatures}, and {@link org.jepa4j.train.probe.InitComparison}, which scores a
 * trained target encoder against the same configuration at initialization.
 */
package org.jepa4j.train.probe;
