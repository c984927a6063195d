/**
 * Probes trained on frozen features ({@link org.jepa4j.train.features.FeatureSet}): a
 * {@link org.jepa4j.train.probe.LinearProbe} on pooled features and the V-JEPA 2 attentive probe
 * ({@link org.jepa4j.core.model.AttentiveClassifier}) on token features, trained by
 * {@link org.jepa4j.train.probe.ProbeTrainer} with AdamW on a seeded, stratified, per-sample
 * {@link org.jepa4j.train.probe.HeldOutSplit}; the {@link org.jepa4j.train.probe.ProbeResult} reports held-out
 * top-1 and saves the probe's parameters as safetensors.
 */
package org.jepa4j.train.probe;
