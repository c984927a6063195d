package org.jepa4j.video.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simulates shapes that move, fall under gravity and bounce off the walls of a square box, and renders each
 * time step as an RGB24 frame.
 *
 * <p>Every episode has a <em>direction</em> label: 0 when the shapes drift to the left, 1 when they drift to the
 * right. The direction is visible only in motion (a single frame does not tell it), which makes it a useful probe
 * target for a video encoder. Positions and velocities are in pixels and pixels per frame.
 */
public final class ShapesWorld {

    /** Number of direction classes (left, right). */
    public static final int NUM_DIRECTIONS = 2;

    /** Names of the direction classes, indexed by label. */
    public static final List<String> DIRECTION_NAMES = List.of("left", "right");

    private static final int[][] PALETTE = {
        {230, 60, 50}, {60, 180, 75}, {0, 130, 200}, {245, 200, 40}, {145, 30, 180}, {70, 240, 240}, {240, 50, 230}
    };

    private final int size;
    private final double gravity;
    private final int direction;
    private final int[] background;
    private final List<Shape> shapes = new ArrayList<>();

    private static final class Shape {
        double x;
        double y;
        double vx;
        double vy;
        final double radius;
        final boolean square;
        final int[] color;

        Shape(double x, double y, double vx, double vy, double radius, boolean square, int[] color) {
            this.x = x;
            this.y = y;
            this.vx = vx;
            this.vy = vy;
            this.radius = radius;
            this.square = square;
            this.color = color;
        }
    }

    /**
     * Creates an episode.
     *
     * @param size frame width and height in pixels (at least 16)
     * @param numShapes number of shapes (at least 1)
     * @param direction 0 for leftward drift, 1 for rightward drift
     * @param rng source of randomness for the initial state
     */
    public ShapesWorld(int size, int numShapes, int direction, Random rng) {
        if (size < 16) {
            throw new IllegalArgumentException("size must be >= 16 pixels, got " + size);
        }
        if (numShapes < 1) {
            throw new IllegalArgumentException("numShapes must be >= 1, got " + numShapes);
        }
        if (direction < 0 || direction >= NUM_DIRECTIONS) {
            throw new IllegalArgumentException("direction must be 0 (left) or 1 (right), got " + direction);
        }
        this.size = size;
        this.direction = direction;
        this.gravity = size / 400.0;
        int shade = 20 + rng.nextInt(40);
        this.background = new int[] {shade, shade, shade + 10};
        double sign = direction == 0 ? -1 : 1;
        for (int i = 0; i < numShapes; i++) {
            double radius = size * (0.08 + 0.06 * rng.nextDouble());
            double x = radius + rng.nextDouble() * (size - 2 * radius);
            double y = radius + rng.nextDouble() * (size - 2 * radius) * 0.5;
            double vx = sign * size * (0.015 + 0.02 * rng.nextDouble());
            double vy = size * 0.02 * (rng.nextDouble() - 0.5);
            shapes.add(new Shape(x, y, vx, vy, radius, rng.nextBoolean(), PALETTE[rng.nextInt(PALETTE.length)]));
        }
    }

    /**
     * The direction label of this episode (0 left, 1 right).
     *
     * @return the direction label of this episode (0 left, 1 right)
     */
    public int direction() {
        return direction;
    }

    /**
     * Frame width and height in pixels.
     *
     * @return frame width and height in pixels
     */
    public int size() {
        return size;
    }

    /** Advances the simulation by one frame: gravity, motion, elastic bounces on the walls (wrapping sideways). */
    public void step() {
        for (Shape s : shapes) {
            s.vy += gravity;
            s.x += s.vx;
            s.y += s.vy;
            // Horizontal wrap keeps the drift direction constant for the whole episode.
            if (s.x < -s.radius) {
                s.x += size + 2 * s.radius;
            } else if (s.x > size + s.radius) {
                s.x -= size + 2 * s.radius;
            }
            if (s.y > size - s.radius) {
                s.y = size - s.radius;
                s.vy = -Math.abs(s.vy) * 0.95;
            } else if (s.y < s.radius) {
                s.y = s.radius;
                s.vy = Math.abs(s.vy);
            }
        }
    }

    /**
     * Renders the current state into an RGB24 buffer.
     *
     * @param rgb destination of at least {@code stride * size} bytes, rows of {@code size} RGB pixels
     * @param stride bytes between the starts of two rows (at least {@code 3 * size})
     */
    public void render(byte[] rgb, int stride) {
        if (stride < 3 * size || rgb.length < stride * size) {
            throw new IllegalArgumentException("buffer too small for " + size + "x" + size + " RGB with stride " + stride);
        }
        for (int y = 0; y < size; y++) {
            int row = y * stride;
            for (int x = 0; x < size; x++) {
                int[] c = background;
                for (Shape s : shapes) {
                    double dx = x + 0.5 - s.x;
                    double dy = y + 0.5 - s.y;
                    boolean inside = s.square
                            ? Math.abs(dx) <= s.radius * 0.85 && Math.abs(dy) <= s.radius * 0.85
                            : dx * dx + dy * dy <= s.radius * s.radius;
                    if (inside) {
                        c = s.color;
                    }
                }
                int i = row + 3 * x;
                rgb[i] = (byte) c[0];
                rgb[i + 1] = (byte) c[1];
                rgb[i + 2] = (byte) c[2];
            }
        }
    }
}
