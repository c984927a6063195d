/**
 * Loading Hugging Face model directories ({@code config.json} + {@code model.safetensors}) of
 * {@code VJEPA2Model}, {@code VJEPA2ForVideoClassification} and {@code IJepaModel} into jepa4j modules,
 * and safetensors state dicts that use the reference repositories' names ({@link org.jepa4j.core.hf.ReferenceWeights}).
 */
package org.jepa4j.core.hf;
