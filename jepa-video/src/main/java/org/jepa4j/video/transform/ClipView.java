package org.jepa4j.video.transform;

/**
 * The spatial part of one augmented view of a clip: the same crop and flip for every frame.
 *
 * @param crop region of the decoded frame to resize to the output size
 * @param flip whether to mirror horizontally
 */
public record ClipView(CropBox crop, boolean flip) {
}
