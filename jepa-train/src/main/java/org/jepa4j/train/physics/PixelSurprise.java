package org.jepa4j.train.physics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * The pixel baseline: in each window, the future frames are predicted from the context frames by extrapolating
 * pixels, and the surprise is the mean absolute error over those frames' normalized pixels (minimum over the
 * context lengths, as for a model). A model that only tracks low-level change scores what this baseline scores.
 */
public final class PixelSurprise implements SurpriseMeasure {

    /** How the future frames are extrapolated. */
    public enum Extrapolation {
        /** Every future frame equals the last context frame. */
        LAST_FRAME,
        /** Frame {@code C-1+k} is {@code x[C-1] + k (x[C-1] - x[C-2])} (needs two context frames). */
        CONSTANT_VELOCITY
    }

    private final int windowFrames;
    private final int[] contexts;
    private final int stride;
    private final Extrapolation extrapolation;

    /**
     * Creates the baseline with the windows of a model measurement.
     *
     * @param windowFrames frames per window
     * @param contexts context lengths in frames (each in [1, windowFrames), at least 2 for constant velocity)
     * @param stride frames between window starts
     * @param extrapolation how future frames are predicted
     */
    public PixelSurprise(int windowFrames, List<Integer> contexts, int stride, Extrapolation extrapolation) {
        int least = extrapolation == Extrapolation.CONSTANT_VELOCITY ? 2 : 1;
        for (int c : contexts) {
            if (c < least || c >= windowFrames) {
                throw new IllegalArgumentException("pixel baseline: context length " + c + " outside [" + least + ", "
                        + (windowFrames - 1) + "]");
            }
        }
        if (contexts.isEmpty() || stride < 1) {
            throw new IllegalArgumentException("pixel baseline needs context lengths and a stride >= 1");
        }
        this.windowFrames = windowFrames;
        this.contexts = contexts.stream().mapToInt(Integer::intValue).toArray();
        this.stride = stride;
        this.extrapolation = extrapolation;
    }

    @Override
    public String name() {
        return "pixel " + extrapolation.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public VideoSurprise score(NDArray video) {
        List<Integer> starts = ModelSurprise.windowStarts(video, windowFrames, stride);
        List<WindowSurprise> out = new ArrayList<>(starts.size());
        for (int s : starts) {
            double[] values = new double[contexts.length];
            for (int k = 0; k < contexts.length; k++) {
                int c = contexts[k];
                NDArray future = video.get(new NDIndex(":, {}:{}", s + c, s + windowFrames)); // [3, F-C, S, S]
                NDArray last = video.get(new NDIndex(":, {}:{}", s + c - 1, s + c)); // [3, 1, S, S]
                NDArray predicted;
                if (extrapolation == Extrapolation.LAST_FRAME) {
                    predicted = last; // broadcast over the future frames
                } else {
                    NDArray velocity = last.sub(video.get(new NDIndex(":, {}:{}", s + c - 2, s + c - 1))); // [3,1,S,S]
                    NDArray steps = video.getManager().arange(1f, windowFrames - c + 1f)
                            .reshape(1, windowFrames - c, 1, 1); // [1, F-C, 1, 1]
                    predicted = last.add(velocity.mul(steps)); // [3, F-C, S, S]
                }
                values[k] = future.sub(predicted).abs().mean().getFloat();
            }
            out.add(WindowSurprise.ofMin(s, values));
        }
        return new VideoSurprise(out, windowFrames);
    }
}
