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
 * @param group id of the balanced set the pair belongs to (e.g. the two pairs of an IntPhys quadruplet, scored
 *     together by {@link VoeScores#groupedAccuracy}), or empty when the pair is its own group
 */
public record VideoPair(Path possible, Path impossible, String type, String group) {

    /** Checks for nulls and trims the group. */
    public VideoPair {
        Objects.requireNonNull(possible, "possible");
        Objects.requireNonNull(impossible, "impossible");
        Objects.requireNonNull(type, "type");
        group = group == null ? "" : group.trim();
    }

    /**
     * A pair that is its own group.
     *
     * @param possible the video that obeys physics
     * @param impossible the video that breaks it
     * @param type the kind of violation
     */
    public VideoPair(Path possible, Path impossible, String type) {
        this(possible, impossible, type, "");
    }

    /** Returns whether the pair belongs to a named group. */
    public boolean grouped() {
        return !group.isEmpty();
    }
}
