package org.jepa4j.train.physics;

import java.util.List;

/**
 * The surprise curve of one video: one value per window, with its per-video summaries.
 *
 * @param windows the windows in time order (at least one)
 * @param windowFrames frames per window
 */
public record VideoSurprise(List<WindowSurprise> windows, int windowFrames) {

    /** Copies the list and checks it is not empty. */
    public VideoSurprise {
        windows = List.copyOf(windows);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a video surprise needs at least one window");
        }
    }

    /** Returns the mean window surprise (the pairwise test's score). */
    public double mean() {
        double s = 0;
        for (WindowSurprise w : windows) {
            s += w.value();
        }
        return s / windows.size();
    }

    /** Returns the largest window surprise (the single-video test's score). */
    public double max() {
        double m = Double.NEGATIVE_INFINITY;
        for (WindowSurprise w : windows) {
            m = Math.max(m, w.value());
        }
        return m;
    }
}
