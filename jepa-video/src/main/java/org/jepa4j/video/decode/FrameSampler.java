package org.jepa4j.video.decode;

import java.util.Random;

/**
 * Chooses the frame ids of the clips of one video, as the V-JEPA video dataset does.
 *
 * <p>The video ({@code n} frames) is cut into {@code K = clipsPerVideo} equal partitions of
 * {@code p = n / K} frames. With window length {@code L = framesPerClip * step}:
 * <ul>
 *   <li>if {@code p > L}: the window ends at a random {@code end} in [L, p) (training) or at {@code L}
 *       (evaluation: the window starts at the partition's start), starts at {@code end - L}, and the
 *       frame ids are {@code linspace(start, end, T)} clipped to [start, end - 1] and floored;</li>
 *   <li>otherwise the partition is too short: {@code m = p / step} ids are spread over [0, p] and the
 *       remaining {@code T - m} ids repeat the last frame (padding), all clipped to [0, p - 1].</li>
 * </ul>
 * Partition {@code i} adds {@code i * p} to its ids. When the frame count is unknown (0) the video is
 * treated as exactly one window per partition; the decoder pads if it turns out shorter.
 */
public final class FrameSampler {

    private FrameSampler() {
    }

    /**
     * Frame ids of every clip.
     *
     * @param frameCount frames in the video (0 when unknown)
     * @param videoFps frame rate of the video (0 when unknown), used with a target frame rate
     * @param sampling clip settings
     * @param rng randomness for the window position, or null for the deterministic evaluation position
     * @return ids, [clipsPerVideo][framesPerClip]
     */
    public static int[][] sample(int frameCount, double videoFps, ClipSampling sampling, Random rng) {
        int t = sampling.framesPerClip();
        int k = sampling.clipsPerVideo();
        int step = sampling.stepFor(videoFps);
        long windowLong = (long) t * step;
        int window = (int) Math.min(Integer.MAX_VALUE / 4, windowLong);
        int n = frameCount > 0 ? frameCount : window * k;
        int partition = n / k;
        int[][] ids = new int[k][t];
        for (int i = 0; i < k; i++) {
            int offset = i * partition;
            if (partition > window) {
                int end = rng == null ? window : window + rng.nextInt(partition - window);
                int start = end - window;
                fill(ids[i], linspace(start, end, t), start, end - 1, offset);
            } else {
                int spread = Math.min(t, partition / step);
                double[] pos = new double[t];
                double[] head = linspace(0, partition, spread);
                System.arraycopy(head, 0, pos, 0, spread);
                for (int j = spread; j < t; j++) {
                    pos[j] = partition; // pad with the last frame
                }
                fill(ids[i], pos, 0, Math.max(0, partition - 1), offset);
            }
        }
        return ids;
    }

    /** numpy-style linspace including both ends; one point gives {@code start}. */
    static double[] linspace(double start, double end, int num) {
        double[] v = new double[num];
        if (num == 1) {
            v[0] = start;
            return v;
        }
        double d = (end - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            v[i] = start + i * d;
        }
        return v;
    }

    private static void fill(int[] dst, double[] pos, int lo, int hi, int offset) {
        for (int j = 0; j < dst.length; j++) {
            double c = Math.min(Math.max(pos[j], lo), hi);
            dst[j] = (int) c + offset;
        }
    }
}
