package org.jepa4j.video.decode;

/**
 * Decoded frames of one request, packed RGB24 bytes without row padding.
 *
 * @param data pixels, layout [T, H, W, 3] (frame-major, then rows, columns, channels R G B)
 * @param frames T, number of frames (one per requested frame id, repeats included)
 * @param width W in pixels
 * @param height H in pixels
 * @param padded how many of the T frames are copies of the last decoded frame because the video
 *     ended before the requested id
 */
public record RgbFrames(byte[] data, int frames, int width, int height, int padded) {

    /** Checks the buffer size against the shape. */
    public RgbFrames {
        if ((long) frames * height * width * 3 != data.length) {
            throw new IllegalArgumentException("RGB buffer of " + data.length + " bytes does not match [T="
                    + frames + ", H=" + height + ", W=" + width + ", 3]");
        }
    }

    /**
     * Bytes in one frame (H * W * 3).
     *
     * @return bytes in one frame (H * W * 3)
     */
    public int frameBytes() {
        return width * height * 3;
    }
}
