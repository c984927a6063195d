package org.jepa4j.video.synthetic;

/**
 * Shortest-path distance between two points of the two-room arena, around the wall and through the door.
 *
 * <p>The wall is the band {@code [wallX0, wallX1]} minus the door {@code [doorY - h/2, doorY + h/2]}. When the
 * straight segment between the points does not cross the wall outside the door, the distance is the Euclidean one;
 * otherwise the path bends at the door's corners (one corner, or the two corners of the door's top or bottom edge),
 * and the distance is the shortest such path whose legs are all straight and unobstructed. Points are treated as
 * points (the agent's radius plays no part): this is the distance a glow spreading through open space travels.
 */
public final class TwoRoomDistance {

    private static final double EPS = 1e-9;

    private final double x0;
    private final double x1;
    private final double lo;
    private final double hi;
    private final double[][] corners;

    /**
     * Creates the distance of one episode's arena.
     *
     * @param spec the world's settings
     * @param doorY centre of the door
     */
    public TwoRoomDistance(TwoRoomSpec spec, double doorY) {
        this.x0 = spec.wallX0();
        this.x1 = spec.wallX1();
        this.lo = doorY - spec.doorHeight() / 2;
        this.hi = doorY + spec.doorHeight() / 2;
        this.corners = new double[][] {{x0, lo}, {x1, lo}, {x0, hi}, {x1, hi}};
    }

    /**
     * Whether the straight segment between two points stays clear of the wall (it may pass through the door).
     *
     * @param ax first point's x
     * @param ay first point's y
     * @param bx second point's x
     * @param by second point's y
     * @return true when unobstructed
     */
    public boolean visible(double ax, double ay, double bx, double by) {
        double xa = Math.min(ax, bx);
        double xb = Math.max(ax, bx);
        if (xb <= x0 || xa >= x1) {
            return true;
        }
        // the part of the segment inside the band [x0, x1] must lie within the door's height
        if (xb - xa < EPS) {
            return inDoor(ay) && inDoor(by);
        }
        double e0 = Math.max(x0, xa);
        double e1 = Math.min(x1, xb);
        return inDoor(yAt(ax, ay, bx, by, e0)) && inDoor(yAt(ax, ay, bx, by, e1));
    }

    /**
     * The shortest-path distance between two points, around the wall.
     *
     * @param ax first point's x
     * @param ay first point's y
     * @param bx second point's x
     * @param by second point's y
     * @return the distance in pixels
     */
    public double between(double ax, double ay, double bx, double by) {
        if (visible(ax, ay, bx, by)) {
            return Math.hypot(bx - ax, by - ay);
        }
        double best = Double.POSITIVE_INFINITY;
        for (double[] c : corners) {
            if (visible(ax, ay, c[0], c[1]) && visible(c[0], c[1], bx, by)) {
                best = Math.min(best, Math.hypot(c[0] - ax, c[1] - ay) + Math.hypot(bx - c[0], by - c[1]));
            }
        }
        for (double y : new double[] {lo, hi}) {
            // along the door's top or bottom edge, in either direction
            best = Math.min(best, viaEdge(ax, ay, bx, by, x0, x1, y));
            best = Math.min(best, viaEdge(ax, ay, bx, by, x1, x0, y));
        }
        return best;
    }

    private double viaEdge(double ax, double ay, double bx, double by, double first, double second, double y) {
        if (!visible(ax, ay, first, y) || !visible(second, y, bx, by)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.hypot(first - ax, y - ay) + Math.abs(second - first) + Math.hypot(bx - second, by - y);
    }

    private boolean inDoor(double y) {
        return y >= lo - EPS && y <= hi + EPS;
    }

    private static double yAt(double ax, double ay, double bx, double by, double x) {
        return ay + (by - ay) * (x - ax) / (bx - ax);
    }
}
