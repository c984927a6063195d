package org.jepa4j.video.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/**
 * Quiets FFmpeg's own console logging once per JVM: broken files make FFmpeg print many lines, while
 * jepa4j reports each bad file once through SLF4J. Set the system property
 * {@code jepa4j.ffmpeg.loglevel} to an FFmpeg level number (e.g. 16 for errors, 32 for info) to
 * see FFmpeg's messages again.
 */
final class FFmpegLogLevel {

    private static volatile boolean applied;

    private FFmpegLogLevel() {
    }

    /** Applies the level the first time it is called. */
    static void applyOnce() {
        if (applied) {
            return;
        }
        synchronized (FFmpegLogLevel.class) {
            if (!applied) {
                av_log_set_level(Integer.getInteger("jepa4j.ffmpeg.loglevel", AV_LOG_FATAL));
                applied = true;
            }
        }
    }
}
