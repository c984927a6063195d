/**
 * Spatial augmentation and normalization of decoded clips into float tensors [C, T, H, W]:
 * {@link org.jepa4j.video.transform.ClipTransform} (random resized crop + flip for training, resize +
 * center crop for evaluation, fused with bilinear resizing and normalization).
 */
package org.jepa4j.video.transform;
