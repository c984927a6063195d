package org.jepa4j.train.features;

import java.nio.file.Path;

/**
 * A sample skipped by an extraction because its file could not be decoded.
 *
 * @param sample the sample's position in the source
 * @param path the file
 * @param reason why it could not be used
 */
public record BadFile(int sample, Path path, String reason) {}
