package org.jepa4j.train.physics;

import ai.djl.ndarray.NDArray;

/**
 * Something that scores how surprising each window of a video is: a model ({@link ModelSurprise}) or a pixel
 * extrapolation baseline ({@link PixelSurprise}).
 */
public interface SurpriseMeasure {

    /**
     * Scores every window of a video.
     *
     * @param video normalized float32 pixels {@code [3, T, S, S]}; intermediate arrays are attached to its manager
     * @return the surprise of every window, in time order
     */
    VideoSurprise score(NDArray video);

    /** Returns a short name for reports. */
    String name();
}
