package org.jepa4j.video.decode;

/**
 * What FFmpeg reports about an opened video stream.
 *
 * @param width display width in pixels (after applying the rotation metadata)
 * @param height display height in pixels (after applying the rotation metadata)
 * @param fps average video frame rate, 0 when unknown (still images, some raw streams)
 * @param frameCount estimated number of frames (duration x fps), 0 when unknown; an approximation,
 *     wrong for variable-frame-rate and truncated files (the decoder pads at the real end)
 * @param rotation clockwise display rotation in degrees: 0, 90, 180 or 270
 * @param codec name of the video codec
 */
public record VideoInfo(int width, int height, double fps, int frameCount, int rotation, String codec) {

    /**
     * True when the rotation swaps width and height.
     *
     * @return true when the rotation swaps width and height
     */
    public boolean transposed() {
        return rotation == 90 || rotation == 270;
    }
}
