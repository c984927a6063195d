package org.jepa4j.video.synthetic;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * One episode of the two-room toy world: an agent disc in a square arena split by a vertical wall with a door at a
 * per-episode height (the PLDM / DINO-WM "wall" benchmark, rebuilt).
 *
 * <p>The state is the agent's centre {@code (x, y)} in pixels. An action {@code (dx, dy)} is the intended
 * displacement over one recorded frame, scaled down to norm {@link TwoRoomSpec#maxActionReach()} if longer and
 * applied as {@link TwoRoomSpec#frameSkip()} equal physical steps (each at most {@link TwoRoomSpec#maxStep()}); each physical
 * step moves in sub-steps of at most 0.5 px, x first then y, and a sub-move that would enter the wall (outside the
 * door) or leave the arena is dropped on that axis, so the agent slides along walls. Frames are RGB24: a dark
 * background, a light wall, the agent as a red Gaussian blob and its glows in green and blue (see {@link TwoRoomSpec}).
 */
public final class TwoRoomWorld {

    private static final double SUB_STEP = 0.5;
    private static final int BACKGROUND = 25;
    private static final int WALL = 200;

    private final TwoRoomSpec spec;
    private final double doorY;
    private final TwoRoomDistance distance;

    /**
     * Creates an episode's world.
     *
     * @param spec the world's settings
     * @param doorY centre of the door, within the spec's door range
     */
    public TwoRoomWorld(TwoRoomSpec spec, double doorY) {
        if (doorY < spec.doorMin() || doorY > spec.doorMax()) {
            throw new IllegalArgumentException("doorY " + doorY + " outside [" + spec.doorMin() + ", "
                    + spec.doorMax() + "]");
        }
        this.spec = spec;
        this.doorY = doorY;
        this.distance = new TwoRoomDistance(spec, doorY);
    }

    /**
     * Draws a door height uniformly from the spec's range.
     *
     * @param spec the world's settings
     * @param rng source of randomness
     * @return a world with a random door
     */
    public static TwoRoomWorld random(TwoRoomSpec spec, Random rng) {
        return new TwoRoomWorld(spec, spec.doorMin() + rng.nextDouble() * (spec.doorMax() - spec.doorMin()));
    }

    /** @return the settings */
    public TwoRoomSpec spec() {
        return spec;
    }

    /** @return the centre of the door */
    public double doorY() {
        return doorY;
    }

    /**
     * The shortest-path distance between two points of this arena, around the wall and through the door.
     *
     * @param a {@code {x, y}}
     * @param b {@code {x, y}}
     * @return the distance in pixels
     */
    public double pathDistance(double[] a, double[] b) {
        return distance.between(a[0], a[1], b[0], b[1]);
    }

    /**
     * Whether the agent's centre may not be at {@code (x, y)} (outside the arena or inside the wall).
     *
     * @param x horizontal position
     * @param y vertical position
     * @return true when blocked
     */
    public boolean blocked(double x, double y) {
        double r = spec.agentRadius();
        if (x < r || x > spec.size() - r || y < r || y > spec.size() - r) {
            return true;
        }
        if (x > spec.wallX0() - r && x < spec.wallX1() + r) {
            double lo = doorY - spec.doorHeight() / 2 + r;
            double hi = doorY + spec.doorHeight() / 2 - r;
            return !(y >= lo && y <= hi);
        }
        return false;
    }

    /**
     * The room of a position: 0 left of the wall's middle, 1 right of it.
     *
     * @param position {@code {x, y}}
     * @return 0 or 1
     */
    public int room(double[] position) {
        return position[0] < (spec.wallX0() + spec.wallX1()) / 2 ? 0 : 1;
    }

    /**
     * Applies one action: the intended displacement, in frameSkip equal physical steps.
     *
     * @param position {@code {x, y}}, not blocked
     * @param action {@code {dx, dy}} in pixels; scaled to norm maxActionReach if longer
     * @return the new position
     */
    public double[] step(double[] position, double[] action) {
        if (position.length != 2 || action.length != 2) {
            throw new IllegalArgumentException("position and action must have 2 elements, got "
                    + position.length + " and " + action.length);
        }
        double ax = action[0] / spec.frameSkip();
        double ay = action[1] / spec.frameSkip();
        double norm = Math.hypot(ax, ay);
        if (norm > spec.maxStep()) {
            ax *= spec.maxStep() / norm;
            ay *= spec.maxStep() / norm;
        }
        int k = (int) Math.ceil(spec.maxStep() / SUB_STEP);
        double dx = ax / k;
        double dy = ay / k;
        double x = position[0];
        double y = position[1];
        for (int i = 0; i < spec.frameSkip() * k; i++) {
            if (!blocked(x + dx, y)) {
                x += dx;
            }
            if (!blocked(x, y + dy)) {
                y += dy;
            }
        }
        return new double[] {x, y};
    }

    /**
     * Draws a free position uniformly (rejection sampling).
     *
     * @param rng source of randomness
     * @return {@code {x, y}} not blocked
     */
    public double[] randomFreePosition(Random rng) {
        double r = spec.agentRadius();
        while (true) {
            double x = r + rng.nextDouble() * (spec.size() - 2 * r);
            double y = r + rng.nextDouble() * (spec.size() - 2 * r);
            if (!blocked(x, y)) {
                return new double[] {x, y};
            }
        }
    }

    /**
     * Renders the agent at a position as an RGB24 frame, row-major {@code [size, size, 3]}.
     *
     * @param position {@code {x, y}}
     * @return the frame's bytes
     */
    public byte[] render(double[] position) {
        int s = spec.size();
        byte[] rgb = new byte[s * s * 3];
        double inv = 1.0 / (2 * spec.blobSigma() * spec.blobSigma());
        double doorLo = doorY - spec.doorHeight() / 2;
        double doorHi = doorY + spec.doorHeight() / 2;
        for (int row = 0; row < s; row++) {
            double py = row + 0.5;
            double ddy = py - position[1];
            boolean inDoor = py >= doorLo && py < doorHi;
            for (int col = 0; col < s; col++) {
                double px = col + 0.5;
                int o = (row * s + col) * 3;
                boolean wall = px >= spec.wallX0() && px < spec.wallX1() && !inDoor;
                if (wall) {
                    rgb[o] = (byte) WALL;
                    rgb[o + 1] = (byte) WALL;
                    rgb[o + 2] = (byte) WALL;
                    continue;
                }
                double ddx = px - position[0];
                double d2 = ddx * ddx + ddy * ddy;
                double blob = Math.exp(-d2 * inv);
                int red = (int) Math.round(Math.max(BACKGROUND, 255 * blob));
                int other = (int) Math.round(BACKGROUND * (1 - blob));
                int green = other;
                int blue = other;
                if (spec.glow() > 0 || spec.wideGlow() > 0) {
                    double d = spec.glowAroundWall() ? distance.between(position[0], position[1], px, py)
                            : Math.sqrt(d2);
                    green = glow(other, d, spec.glow());
                    blue = glow(other, d, spec.wideGlow());
                }
                rgb[o] = (byte) red;
                rgb[o + 1] = (byte) green;
                rgb[o + 2] = (byte) blue;
            }
        }
        return rgb;
    }

    /** A glow's channel value at distance d: {@code 255 exp(-d / length)}, at least the background's. */
    private static int glow(int background, double d, double length) {
        return length > 0 ? (int) Math.round(Math.max(background, 255 * Math.exp(-d / length))) : background;
    }

    /**
     * Renders a frame as an image (for PNG files).
     *
     * @param position {@code {x, y}}
     * @return a {@code TYPE_INT_RGB} image
     */
    public BufferedImage renderImage(double[] position) {
        return toImage(render(position), spec.size());
    }

    /**
     * Wraps RGB24 bytes in an image.
     *
     * @param rgb row-major {@code [size, size, 3]} bytes
     * @param size width and height
     * @return a {@code TYPE_INT_RGB} image
     */
    public static BufferedImage toImage(byte[] rgb, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < size * size; i++) {
            int r = rgb[3 * i] & 0xff;
            int g = rgb[3 * i + 1] & 0xff;
            int b = rgb[3 * i + 2] & 0xff;
            image.setRGB(i % size, i / size, (r << 16) | (g << 8) | b);
        }
        return image;
    }
}
