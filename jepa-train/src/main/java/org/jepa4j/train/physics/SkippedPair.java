package org.jepa4j.train.physics;

/**
 * A pair left out of the scores, with the reason (the videos differ from the first frame, have different lengths,
 * are identical, or are shorter than one window).
 *
 * @param pair the pair
 * @param reason why it was left out
 */
public record SkippedPair(VideoPair pair, String reason) {}
