package org.jepa4j.train.plan;

/** Which imagined frames the goal energy of a candidate action sequence looks at. */
public enum EnergyMode {
    /** Only the last imagined frame (V-JEPA 2-AC's planner). */
    LAST_FRAME,
    /**
     * The mean over every imagined frame: a plan that gets close early scores better than one that gets close
     * only at the end, which makes the first action (the one executed) well determined.
     */
    ALL_FRAMES
}
