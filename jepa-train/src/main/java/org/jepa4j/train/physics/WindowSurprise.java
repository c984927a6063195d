package org.jepa4j.train.physics;

/**
 * The surprise of one window of a video.
 *
 * @param start index of the window's first frame (in the subsampled video)
 * @param byContext surprise for each number of context frames, in the order of the measurement's context list
 * @param value the minimum over the context lengths (the reference's "filtered" surprise)
 */
public record WindowSurprise(int start, double[] byContext, double value) {

    /** Copies the per-context values. */
    public WindowSurprise {
        byContext = byContext.clone();
    }

    /**
     * A window whose value is the minimum of its per-context surprises.
     *
     * @param start index of the first frame
     * @param byContext surprise per context length (at least one)
     * @return the window
     */
    public static WindowSurprise ofMin(int start, double[] byContext) {
        if (byContext.length == 0) {
            throw new IllegalArgumentException("a window needs at least one context length");
        }
        double min = Double.POSITIVE_INFINITY;
        for (double v : byContext) {
            min = Math.min(min, v);
        }
        return new WindowSurprise(start, byContext, min);
    }

    @Override
    public double[] byContext() {
        return byContext.clone();
    }
}
