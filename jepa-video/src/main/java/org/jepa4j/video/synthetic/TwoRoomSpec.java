package org.jepa4j.video.synthetic;

/**
 * Geometry, motion and rendering settings of the two-room toy world ({@link TwoRoomWorld}), in pixels.
 *
 * <p>The arena is a {@code size x size} square split by a vertical wall spanning {@code [wallX0, wallX1)} with a
 * door of height {@code doorHeight} whose centre varies per episode in {@code [doorMin, doorMax]}. The agent is a
 * disc of radius {@code agentRadius} (its centre cannot come closer than that to a wall or the border), drawn as a
 * Gaussian blob of standard deviation {@code blobSigma} in the red channel; with {@code glow > 0} the green channel
 * shows a wide glow {@code exp(-distance / glow)} around the agent, so every part of the frame changes smoothly with
 * the agent's position (features that see only their own patch then still tell where the agent is). With
 * {@code glowAroundWall} the glow's distance is the shortest path through open space ({@link TwoRoomDistance}: around
 * the wall, through the door), as heat or scent spreads; otherwise it is the straight-line distance, through the
 * wall. With {@code wideGlow > 0} the blue channel shows a second, wider glow {@code exp(-distance / wideGlow)}
 * (same distance): the narrow glow tells the agent's place precisely near it, the wide one from anywhere. One action is a 2-D displacement of norm at most
 * {@code maxStep}, held for {@code frameSkip} physical steps between two recorded frames.
 *
 * @param size frame width and height (at least 16)
 * @param wallX0 left edge of the wall
 * @param wallX1 right edge of the wall (greater than wallX0)
 * @param doorHeight height of the door opening (greater than twice the agent radius)
 * @param doorMin lowest door centre
 * @param doorMax highest door centre
 * @param agentRadius radius of the agent disc used for collisions
 * @param blobSigma standard deviation of the rendered Gaussian blob
 * @param maxStep largest action norm per physical step
 * @param frameSkip physical steps per action (per recorded frame)
 * @param glow length scale of the green glow around the agent in pixels, 0 for none
 * @param glowAroundWall whether the glows' distance goes around the wall (through the door) instead of through it
 * @param wideGlow length scale of the blue wide glow in pixels, 0 for none
 */
public record TwoRoomSpec(int size, double wallX0, double wallX1, double doorHeight, double doorMin, double doorMax,
        double agentRadius, double blobSigma, double maxStep, int frameSkip, double glow, boolean glowAroundWall,
        double wideGlow) {

    /** Validates the settings. */
    public TwoRoomSpec {
        if (size < 16) {
            throw new IllegalArgumentException("size must be >= 16, got " + size);
        }
        if (!(wallX0 > 0 && wallX1 > wallX0 && wallX1 < size)) {
            throw new IllegalArgumentException("wall must satisfy 0 < wallX0 < wallX1 < size, got [" + wallX0 + ", "
                    + wallX1 + ") for size " + size);
        }
        if (!(doorHeight > 2 * agentRadius)) {
            throw new IllegalArgumentException("doorHeight " + doorHeight + " must exceed twice agentRadius "
                    + agentRadius + " or the door is impassable");
        }
        if (!(doorMin <= doorMax && doorMin - doorHeight / 2 >= 0 && doorMax + doorHeight / 2 <= size)) {
            throw new IllegalArgumentException("door range [" + doorMin + ", " + doorMax + "] with height "
                    + doorHeight + " does not fit in size " + size);
        }
        if (!(glow >= 0 && wideGlow >= 0)) {
            throw new IllegalArgumentException("glow and wideGlow must be >= 0, got " + glow + " and " + wideGlow);
        }
        if (!(agentRadius >= 0 && blobSigma > 0 && maxStep > 0 && frameSkip >= 1)) {
            throw new IllegalArgumentException("agentRadius >= 0, blobSigma > 0, maxStep > 0 and frameSkip >= 1 "
                    + "required, got " + agentRadius + ", " + blobSigma + ", " + maxStep + ", " + frameSkip);
        }
    }

    /**
     * The default world: 64 px, a 4 px wall at x = 30..34 with a 16 px door centred between 16 and 48, an agent of
     * radius 3 drawn as a blob of sigma 3 with glows of 12 px (green) and 48 px (blue) that spread around the wall,
     * actions of at most 10 px per frame applied as 4 physical steps of at most 2.5 px.
     *
     * @return the default settings
     */
    public static TwoRoomSpec defaults() {
        return new TwoRoomSpec(64, 30, 34, 16, 16, 48, 3, 3, 2.5, 4, 12, true, 48);
    }

    /**
     * The default geometry with the earlier glow: one glow of 12 px, through the wall (straight-line distance). The
     * planning numbers the user guide gives for the demo recipes of sessions 3-7 were measured here.
     *
     * @return those settings
     */
    public static TwoRoomSpec straightGlow() {
        return defaults().withGlow(12, false, 0);
    }

    /**
     * The largest displacement of one action (all its physical steps).
     *
     * @return {@code maxStep * frameSkip}
     */
    public double maxActionReach() {
        return maxStep * frameSkip;
    }

    /**
     * Returns these settings with another blob standard deviation.
     *
     * @param sigma the new standard deviation
     * @return the changed settings
     */
    public TwoRoomSpec withBlobSigma(double sigma) {
        return new TwoRoomSpec(size, wallX0, wallX1, doorHeight, doorMin, doorMax, agentRadius, sigma, maxStep,
                frameSkip, glow, glowAroundWall, wideGlow);
    }

    /**
     * Returns these settings with another frame skip.
     *
     * @param skip physical steps per action
     * @return the changed settings
     */
    public TwoRoomSpec withFrameSkip(int skip) {
        return new TwoRoomSpec(size, wallX0, wallX1, doorHeight, doorMin, doorMax, agentRadius, blobSigma, maxStep,
                skip, glow, glowAroundWall, wideGlow);
    }

    /**
     * Returns these settings with another glow.
     *
     * @param length glow length scale in pixels, 0 for none
     * @param aroundWall whether the glows' distance goes around the wall instead of through it
     * @param wide length scale of the blue wide glow in pixels, 0 for none
     * @return the changed settings
     */
    public TwoRoomSpec withGlow(double length, boolean aroundWall, double wide) {
        return new TwoRoomSpec(size, wallX0, wallX1, doorHeight, doorMin, doorMax, agentRadius, blobSigma, maxStep,
                frameSkip, length, aroundWall, wide);
    }
}
