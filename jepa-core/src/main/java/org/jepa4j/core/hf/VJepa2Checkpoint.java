package org.jepa4j.core.hf;

import org.jepa4j.core.model.AttentiveClassifier;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.VisionTransformer;

/**
 * A loaded Hugging Face V-JEPA 2 model.
 *
 * <p>Parity notes: Hugging Face feeds {@code pixel_values_videos [B, T, C, H, W]}; permute to
 * {@code [B, C, T, H, W]} (axes 0, 2, 1, 3, 4) before {@link VisionTransformer#forward}. {@code VJEPA2Model}
 * calls its predictor without a mask index, i.e. with mask token 1: pass {@code maskIndex = 1} to reproduce it.
 *
 * @param encoder the encoder (3D RoPE)
 * @param predictor the predictor (3D RoPE, token sorting on)
 * @param classifier the attentive probe of {@code VJEPA2ForVideoClassification}, or null for {@code VJEPA2Model}
 * @param labels class names by index (empty without classifier)
 */
public record VJepa2Checkpoint(VisionTransformer encoder, Predictor predictor, AttentiveClassifier classifier,
        String[] labels) {}
