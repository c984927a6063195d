package org.jepa4j.train.physics;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A matched pair of the violation-of-expectation test: a possible and an impossible video that should be identical
 * until the violation.
 *
 * @param possible the video that obeys physics
 * @param impossible the video that breaks it
 * @param type the kind of violation (e.g. {@code vanish}), or {@code all} when the pairs file has no type column
 */
public record VideoPair(Path possible, Path impossible, String type) {

    /** Checks for nulls. */
    public VideoPair {
        Objects.requireNonNull(possible, "possible");
        Objects.requireNonNull(impossible, "impossible");
        Objects.requireNonNull(type, "type");
    }
}
