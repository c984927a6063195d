package org.jepa4j.video.decode;

/**
 * How clips are cut from a video, as in the V-JEPA recipes.
 *
 * <p>A clip is {@code framesPerClip} frames spread evenly over a window of
 * {@code framesPerClip * step} frames. The step is either fixed ({@code frameStep}, V-JEPA 1: 16 frames,
 * step 4) or derived from a target frame rate ({@code targetFps}, V-JEPA 2: 16 frames at 4 fps, step =
 * ceil(video fps) / 4). A video gives {@code clipsPerVideo} clips, one from each of as many equal
 * partitions of the video.
 *
 * @param framesPerClip frames per clip (T), >= 1
 * @param frameStep frame step used when {@code targetFps} is 0, >= 1
 * @param targetFps frames per second to sample at, or 0 to use {@code frameStep}
 * @param clipsPerVideo clips per video (training) or temporal segments (evaluation), >= 1
 */
public record ClipSampling(int framesPerClip, int frameStep, double targetFps, int clipsPerVideo) {

    /** Validates the settings. */
    public ClipSampling {
        if (framesPerClip < 1 || frameStep < 1 || clipsPerVideo < 1 || targetFps < 0 || Double.isNaN(targetFps)) {
            throw new IllegalArgumentException("invalid clip sampling: framesPerClip=" + framesPerClip
                    + " frameStep=" + frameStep + " targetFps=" + targetFps + " clipsPerVideo=" + clipsPerVideo
                    + " (need framesPerClip, frameStep, clipsPerVideo >= 1 and targetFps >= 0)");
        }
    }

    /**
     * {@code framesPerClip} frames every {@code frameStep} frames, one clip per video.
     *
     * @param framesPerClip frames in one clip
     * @param frameStep source frames between two clip frames
     * @return the sampling
     */
    public static ClipSampling ofStep(int framesPerClip, int frameStep) {
        return new ClipSampling(framesPerClip, frameStep, 0, 1);
    }

    /**
     * {@code framesPerClip} frames at {@code fps} frames per second, one clip per video.
     *
     * @param framesPerClip frames in one clip
     * @param fps clip frames per second of video time
     * @return the sampling
     */
    public static ClipSampling ofFps(int framesPerClip, double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("target fps must be > 0, got " + fps);
        }
        return new ClipSampling(framesPerClip, 1, fps, 1);
    }

    /**
     * One frame per sample (image mode).
     *
     * @return one frame per sample (image mode)
     */
    public static ClipSampling singleFrame() {
        return new ClipSampling(1, 1, 0, 1);
    }

    /**
     * The same settings with {@code n} clips per video.
     *
     * @param n clips (temporal segments) per video, at least 1
     * @return a copy
     */
    public ClipSampling withClipsPerVideo(int n) {
        return new ClipSampling(framesPerClip, frameStep, targetFps, n);
    }

    /**
     * The frame step for a video of the given frame rate: {@code frameStep}, or with a target frame rate
     * {@code max(1, ceil(videoFps) / targetFps)} (integer division, as the reference); when the video's
     * rate is unknown it falls back to {@code frameStep}.
     *
     * @param videoFps frame rate of the video, or NaN/0 when unknown
     * @return the step between two clip frames, at least 1
     */
    public int stepFor(double videoFps) {
        if (targetFps > 0 && videoFps > 0) {
            return Math.max(1, (int) (Math.ceil(videoFps) / targetFps));
        }
        return frameStep;
    }
}
