package org.jepa4j.video.synthetic;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The violations of the intuitive-physics benchmark, each tested on one disc (the subject) at a violation time.
 * Visible violations happen in view; occluded ones happen while the subject is hidden behind an occluder and show
 * when it comes out (or does not).
 */
public enum Violation {
    /** Continuity: the subject jumps to a distant place, keeping its velocity. */
    TELEPORT(false),
    /** Permanence: the subject disappears in view. */
    VANISH(false),
    /** Gravity: the subject starts to fall upwards. */
    ANTIGRAVITY(false),
    /** Constancy: the subject changes colour in view. */
    COLOR(false),
    /** Solidity: the subject passes through a wall it should bounce off. */
    WALL(false),
    /** Continuity behind an occluder: the subject comes out on the far side too early (skips the hidden stretch). */
    TELEPORT_OCCLUDED(true),
    /** Permanence behind an occluder: the subject never comes out. */
    VANISH_OCCLUDED(true),
    /** Constancy behind an occluder: the subject comes out in another colour. */
    COLOR_OCCLUDED(true);

    private final boolean occluded;

    Violation(boolean occluded) {
        this.occluded = occluded;
    }

    /** Returns whether the violation happens behind an occluder. */
    public boolean occluded() {
        return occluded;
    }

    /**
     * Returns whether the benchmark writes this violation as a balanced quadruplet (permanence: the subject present
     * throughout, absent throughout, present then vanishing, absent then appearing), so that the windows after the
     * violation cancel out; see {@link ViolationPairs}.
     *
     * @return true for {@link #VANISH} and {@link #VANISH_OCCLUDED}
     */
    public boolean balanced() {
        return this == VANISH || this == VANISH_OCCLUDED;
    }

    /** Returns the type name used in pairs files and reports ({@code teleport}, {@code vanish_occluded}, ...). */
    public String typeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a type name.
     *
     * @param name e.g. {@code vanish} or {@code color_occluded}
     * @return the violation
     * @throws IllegalArgumentException listing the known names
     */
    public static Violation parse(String name) {
        for (Violation v : values()) {
            if (v.typeName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown violation '" + name + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(Violation::typeName).toList()) + ")");
    }

    /** Returns every violation, visible ones first. */
    public static List<Violation> all() {
        return List.of(values());
    }
}
