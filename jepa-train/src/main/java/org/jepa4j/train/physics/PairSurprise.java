package org.jepa4j.train.physics;

import java.util.List;

/**
 * The surprise curves of one scored pair under every measurement of an evaluation.
 *
 * @param pair the pair
 * @param firstDifference index of the first frame (after frame subsampling) where the two videos differ
 * @param possible surprise of the possible video per measurement (model, random inits..., pixel)
 * @param impossible surprise of the impossible video, same order
 */
public record PairSurprise(VideoPair pair, int firstDifference, List<VideoSurprise> possible,
        List<VideoSurprise> impossible) {

    /** Copies the lists. */
    public PairSurprise {
        possible = List.copyOf(possible);
        impossible = List.copyOf(impossible);
    }
}
