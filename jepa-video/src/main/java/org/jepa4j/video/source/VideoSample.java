package org.jepa4j.video.source;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of a {@link VideoSource}: a media file (video or still image) and its integer class label.
 *
 * @param path absolute, normalized path of the file
 * @param label class id (0-based; 0 when the source has no labels)
 */
public record VideoSample(Path path, int label) {

    /** Checks that the path is present and the label is not negative. */
    public VideoSample {
        Objects.requireNonNull(path, "path");
        if (label < 0) {
            throw new IllegalArgumentException("label must be >= 0, got " + label + " for " + path);
        }
    }
}
