/**
 * Loading Hugging Face model directories ({@code config.json} + {@code model.safetensors}, or the shards of
 * {@code model.safetensors.index.json}) of {@code VJEPA2Model}, {@code VJEPA2ForVideoClassification} and
 * {@code IJepaModel} into jepa4j modules, and state dicts that use the reference repositories' names, from
 * safetensors files or directly from the references' {@code .pt} training checkpoints
 * ({@link org.jepa4j.core.hf.ReferenceWeights}).
 */
package org.jepa4j.core.hf;
