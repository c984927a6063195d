package org.jepa4j.train.features;

import java.nio.file.Path;

/**
 * A file an extraction could not use: a sample whose file could not be decoded, or a file the folder scan left out
 * although its name says video or image.
 *
 * @param sample the sample's position in the source, or {@link #NOT_A_SAMPLE} for a file the folder scan left out
 * @param path the file
 * @param reason why it could not be used
 */
public record BadFile(int sample, Path path, String reason) {

    /** The {@link #sample()} of a file that never became a sample (left out by the folder scan). */
    public static final int NOT_A_SAMPLE = -1;
}
