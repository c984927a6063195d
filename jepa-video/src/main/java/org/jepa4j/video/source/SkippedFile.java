package org.jepa4j.video.source;

import java.nio.file.Path;

/**
 * A file a folder scan left out although its name says video or image ({@code .mp4}, {@code .avi}, {@code .jpg},
 * ...): its content is empty, text, another format, or cannot be opened by FFmpeg.
 *
 * @param path the file
 * @param reason why it was left out, e.g. {@code empty file (0 bytes)}
 */
public record SkippedFile(Path path, String reason) {
}
