package org.jepa4j.video.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Discs that fall under gravity and bounce off the floor, the ceiling, the side walls and (if present) a solid
 * vertical wall, optionally seen through a vertical occluder; a scene of the intuitive-physics benchmark.
 *
 * <p>Unlike {@link ShapesWorld} (drift labels, wrapping sides) the box is closed and every rule can be broken on
 * purpose: {@link #violate(Violation, int, Random)} changes one disc (the subject) so that the rest of the episode
 * is impossible. Two copies of a scene ({@link #copy()}) stepped alike render identical frames, so a possible and
 * an impossible video are pixel-identical until the violation. Units are pixels and frames of a 64-pixel, 16 fps
 * scene, scaled by the frame size and by {@code dt = 16 / fps}.
 */
public final class PhysicsScene {

    static final int[][] PALETTE = {
        {230, 60, 50}, {60, 180, 75}, {0, 130, 200}, {245, 200, 40}, {145, 30, 180}, {70, 240, 240}, {240, 50, 230}
    };
    static final int[][] BRIGHT_PALETTE = {{255, 140, 0}, {255, 255, 255}, {120, 255, 120}, {255, 120, 170}};
    private static final int[] WALL_COLOR = {200, 200, 200};
    private static final int[] OCCLUDER_COLOR = {150, 120, 90};
    private static final int[] BAR_COLOR = {110, 90, 140};
    private static final int[] FLOOR_COLOR = {90, 70, 50};

    private final int size;
    private final double dt;
    private final double gravity;
    private final SceneLook look;
    private final int[][] palette;
    private final byte[] background; // [S, S, 3]
    private final double[] wall; // {x0, x1} or null
    private final double[] occluder; // {x0, x1} or null
    private final double floorTop; // y of the floor's top edge (size without a floor)
    private final List<Disc> discs = new ArrayList<>();

    private static final class Disc {
        double x;
        double y;
        double vx;
        double vy;
        final double r;
        int[] color;
        double gravityScale = 1;
        boolean visible = true;
        boolean solid = true;
        boolean bounced;

        Disc(double x, double y, double vx, double vy, double r, int[] color) {
            this.x = x;
            this.y = y;
            this.vx = vx;
            this.vy = vy;
            this.r = r;
            this.color = color;
        }

        Disc copy() {
            Disc d = new Disc(x, y, vx, vy, r, color);
            d.gravityScale = gravityScale;
            d.visible = visible;
            d.solid = solid;
            return d;
        }
    }

    private PhysicsScene(PhysicsScene o) {
        size = o.size;
        dt = o.dt;
        gravity = o.gravity;
        look = o.look;
        palette = o.palette;
        background = o.background;
        wall = o.wall;
        occluder = o.occluder;
        floorTop = o.floorTop;
        for (Disc d : o.discs) {
            discs.add(d.copy());
        }
    }

    /**
     * Draws a scene.
     *
     * @param look frame size, disc sizes, background, floor, bar
     * @param fps frame rate the motion is sampled at (16 is the reference; 12 moves more per frame)
     * @param numDiscs number of discs (at least 1); disc 0 is the subject of violations
     * @param withWall whether a solid vertical wall stands in the middle third
     * @param withOccluder whether a vertical occluder stands in front of the discs
     * @param rng randomness of the scene
     */
    public PhysicsScene(SceneLook look, int fps, int numDiscs, boolean withWall, boolean withOccluder, Random rng) {
        if (numDiscs < 1 || fps < 1) {
            throw new IllegalArgumentException("numDiscs and fps must be >= 1, got " + numDiscs + ", " + fps);
        }
        this.look = look;
        this.size = look.size();
        double scale = size / 64.0;
        this.dt = 16.0 / fps;
        this.gravity = 0.12 * scale;
        this.palette = look.brightColors() ? BRIGHT_PALETTE : PALETTE;
        this.floorTop = look.floor() ? size - Math.round(size * 0.1) : size;
        this.background = background(look, rng);
        this.wall = withWall ? centred(size * (0.35 + 0.3 * rng.nextDouble()), 4 * scale) : null;
        for (int i = 0; i < numDiscs; i++) {
            double r = (look.minRadius() + (look.maxRadius() - look.minRadius()) * rng.nextDouble()) * scale;
            double x;
            do {
                x = r + rng.nextDouble() * (size - 2 * r);
            } while (wall != null && !(x + r < wall[0] - 1 || x - r > wall[1] + 1));
            double y = r + rng.nextDouble() * (floorTop - 2 * r) * 0.5;
            double vx = (rng.nextBoolean() ? 1 : -1) * (0.6 + rng.nextDouble()) * scale;
            double vy = (rng.nextDouble() - 0.5) * scale;
            discs.add(new Disc(x, y, vx, vy, r, palette[rng.nextInt(palette.length)]));
        }
        if (withOccluder) {
            double maxR = discs.stream().mapToDouble(d -> d.r).max().orElseThrow();
            double w = 2 * maxR + (6 + 6 * rng.nextDouble()) * scale;
            this.occluder = centred(w / 2 + rng.nextDouble() * (size - w), w);
        } else {
            this.occluder = null;
        }
    }

    private static double[] centred(double centre, double width) {
        return new double[] {centre - width / 2, centre + width / 2};
    }

    private static byte[] background(SceneLook look, Random rng) {
        int s = look.size();
        byte[] bg = new byte[s * s * 3];
        int shade = 30 + rng.nextInt(40);
        int cell = Math.max(2, s / 16);
        int cells = (s + cell - 1) / cell;
        int[] noise = new int[cells * cells];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = look.textured() ? rng.nextInt(41) - 20 : 0;
        }
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int v = shade + noise[(y / cell) * cells + x / cell];
                int i = 3 * (y * s + x);
                bg[i] = (byte) clamp(v);
                bg[i + 1] = (byte) clamp(v);
                bg[i + 2] = (byte) clamp(v + 10);
            }
        }
        return bg;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Returns an independent copy that evolves exactly as this scene would. */
    public PhysicsScene copy() {
        return new PhysicsScene(this);
    }

    /** Frame width and height in pixels. */
    public int size() {
        return size;
    }

    /** Returns whether the scene has a solid wall. */
    public boolean hasWall() {
        return wall != null;
    }

    /** Returns whether disc {@code i} is entirely behind the occluder (false without one). */
    boolean hidden(int i) {
        Disc d = discs.get(i);
        return occluder != null && d.x - d.r >= occluder[0] + 0.5 && d.x + d.r <= occluder[1] - 0.5;
    }

    /**
     * Shows or hides disc {@code i} from now on; its motion is unchanged (discs never collide with each other, so a
     * hidden disc changes nothing else in the scene).
     *
     * @param i index of the disc
     * @param visible whether it is drawn
     */
    public void setVisible(int i, boolean visible) {
        discs.get(i).visible = visible;
    }

    /** Returns whether disc {@code i} bounced off the wall in the last step. */
    boolean bouncedOffWall(int i) {
        return discs.get(i).bounced;
    }

    /** Advances by one frame: gravity, motion, bounces on the box, the floor and the wall. */
    public void step() {
        for (Disc d : discs) {
            d.bounced = false;
            d.vy += gravity * d.gravityScale * dt;
            double px = d.x;
            d.x += d.vx * dt;
            d.y += d.vy * dt;
            if (d.x < d.r) {
                d.x = 2 * d.r - d.x;
                d.vx = Math.abs(d.vx);
            } else if (d.x > size - d.r) {
                d.x = 2 * (size - d.r) - d.x;
                d.vx = -Math.abs(d.vx);
            }
            if (d.y > floorTop - d.r) {
                d.y = floorTop - d.r;
                d.vy = -Math.abs(d.vy) * 0.95;
            } else if (d.y < d.r) {
                d.y = d.r;
                d.vy = Math.abs(d.vy);
            }
            if (wall != null && d.solid) {
                if (px + d.r <= wall[0] && d.x + d.r > wall[0]) {
                    d.x = 2 * (wall[0] - d.r) - d.x;
                    d.vx = -Math.abs(d.vx);
                    d.bounced = true;
                } else if (px - d.r >= wall[1] && d.x - d.r < wall[1]) {
                    d.x = 2 * (wall[1] + d.r) - d.x;
                    d.vx = Math.abs(d.vx);
                    d.bounced = true;
                }
            }
        }
    }

    /**
     * Breaks a rule for disc {@code subject} from now on.
     *
     * @param violation what to break
     * @param subject index of the disc
     * @param rng randomness (teleport target, new colour)
     */
    public void violate(Violation violation, int subject, Random rng) {
        Disc d = discs.get(subject);
        switch (violation) {
            case TELEPORT -> {
                double nx = d.x;
                double ny = d.y;
                for (int i = 0; i < 100; i++) {
                    nx = d.r + rng.nextDouble() * (size - 2 * d.r);
                    ny = d.r + rng.nextDouble() * (floorTop - 2 * d.r);
                    if ((nx - d.x) * (nx - d.x) + (ny - d.y) * (ny - d.y) > 9 * d.r * d.r) {
                        break;
                    }
                }
                d.x = nx;
                d.y = ny;
            }
            case TELEPORT_OCCLUDED -> {
                double w = occluder[1] - occluder[0];
                d.x += Math.signum(d.vx) * (w / 2 + d.r + 2);
                d.x = Math.max(d.r, Math.min(size - d.r, d.x));
            }
            case VANISH, VANISH_OCCLUDED -> d.visible = false;
            case COLOR, COLOR_OCCLUDED -> {
                int[] c;
                do {
                    c = palette[rng.nextInt(palette.length)];
                } while (c == d.color);
                d.color = c;
            }
            case ANTIGRAVITY -> d.gravityScale = -1;
            case WALL -> d.solid = false;
            default -> throw new IllegalArgumentException("unknown violation " + violation);
        }
    }

    /**
     * Renders the current state: background, wall, discs, floor, occluder, bar (later ones in front).
     *
     * @param rgb destination, packed {@code [size, size, 3]}
     */
    public void render(byte[] rgb) {
        if (rgb.length < size * size * 3) {
            throw new IllegalArgumentException("buffer of " + rgb.length + " bytes is too small for " + size + "x" + size
                    + " RGB");
        }
        System.arraycopy(background, 0, rgb, 0, size * size * 3);
        if (wall != null) {
            fillColumns(rgb, wall, 0, size, WALL_COLOR);
        }
        for (Disc d : discs) {
            if (!d.visible) {
                continue;
            }
            int y0 = Math.max(0, (int) Math.floor(d.y - d.r - 1));
            int y1 = Math.min(size - 1, (int) Math.ceil(d.y + d.r + 1));
            int x0 = Math.max(0, (int) Math.floor(d.x - d.r - 1));
            int x1 = Math.min(size - 1, (int) Math.ceil(d.x + d.r + 1));
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    double dx = x + 0.5 - d.x;
                    double dy = y + 0.5 - d.y;
                    if (dx * dx + dy * dy <= d.r * d.r) {
                        put(rgb, y * size + x, d.color);
                    }
                }
            }
        }
        if (floorTop < size) {
            fillRows(rgb, (int) floorTop, size, FLOOR_COLOR);
        }
        if (occluder != null) {
            fillColumns(rgb, occluder, 0, size, OCCLUDER_COLOR);
        }
        if (look.bar()) {
            fillRows(rgb, (int) Math.round(size * 0.3), (int) Math.round(size * 0.4), BAR_COLOR);
        }
    }

    private void fillColumns(byte[] rgb, double[] span, int y0, int y1, int[] color) {
        int x0 = (int) Math.round(span[0]);
        int x1 = (int) Math.round(span[1]);
        for (int y = y0; y < y1; y++) {
            for (int x = Math.max(0, x0); x < Math.min(size, x1); x++) {
                put(rgb, y * size + x, color);
            }
        }
    }

    private void fillRows(byte[] rgb, int y0, int y1, int[] color) {
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < size; x++) {
                put(rgb, y * size + x, color);
            }
        }
    }

    private static void put(byte[] rgb, int pixel, int[] c) {
        rgb[3 * pixel] = (byte) c[0];
        rgb[3 * pixel + 1] = (byte) c[1];
        rgb[3 * pixel + 2] = (byte) c[2];
    }
}
