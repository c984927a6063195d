package org.jepa4j.video.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A goal-reaching task in the two-room world: a door, a start and a goal position, and whether start and goal lie
 * in different rooms with the straight line between them blocked by the wall ("cross-room": the path must turn
 * toward the door). Drawn same-room tasks have both ends in one room; drawn cross-room tasks never have a straight
 * line through the door.
 *
 * @param doorY the door's centre
 * @param start start position {@code {x, y}}
 * @param goal goal position {@code {x, y}}
 * @param crossRoom true when start and goal are in different rooms
 */
public record PlanningTask(double doorY, double[] start, double[] goal, boolean crossRoom) {

    /**
     * Smallest start-goal distance of a drawn task, in pixels: more than one action's reach in the default world
     * (10 px), so no task is solved by a single action, and four times the 4 px success radius of the evaluation,
     * so the start is never near the goal. Tasks are scored where the agent is at the end of a fixed-length episode
     * (PLDM and DINO-WM score their wall tasks so), which is what keeps a random walk from "solving" nearby goals
     * by passing through them.
     */
    public static final double MIN_DISTANCE = 16;

    /**
     * Draws {@code n} tasks from a seed, alternating same-room (even indices) and cross-room (odd indices); start
     * and goal are at least {@link #MIN_DISTANCE} apart. The same seed always gives the same tasks.
     *
     * @param spec the world's settings
     * @param n number of tasks
     * @param seed seed
     * @return the tasks
     */
    public static List<PlanningTask> sample(TwoRoomSpec spec, int n, long seed) {
        Random rng = new Random(seed);
        List<PlanningTask> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean cross = i % 2 == 1;
            TwoRoomWorld world = TwoRoomWorld.random(spec, rng);
            while (true) {
                double[] s = world.randomFreePosition(rng);
                double[] g = world.randomFreePosition(rng);
                boolean differ = world.room(s) != world.room(g);
                if (differ && !lineBlocked(spec, world.doorY(), s, g)) {
                    continue; // a straight line through the door: neither kind
                }
                if (differ == cross && Math.hypot(s[0] - g[0], s[1] - g[1]) >= MIN_DISTANCE) {
                    tasks.add(new PlanningTask(world.doorY(), s, g, cross));
                    break;
                }
            }
        }
        return tasks;
    }

    /**
     * Whether the straight segment between two positions in different rooms meets the wall outside the opening
     * that the agent's centre can pass.
     *
     * @param spec the world's settings
     * @param doorY the door's centre
     * @param a one end
     * @param b the other end
     * @return true when the wall blocks the straight line
     */
    public static boolean lineBlocked(TwoRoomSpec spec, double doorY, double[] a, double[] b) {
        double r = spec.agentRadius();
        double lo = doorY - spec.doorHeight() / 2 + r;
        double hi = doorY + spec.doorHeight() / 2 - r;
        for (double x : new double[] {spec.wallX0() - r, spec.wallX1() + r}) {
            if ((a[0] - x) * (b[0] - x) > 0) {
                continue;
            }
            double t = (x - a[0]) / (b[0] - a[0]);
            double y = a[1] + t * (b[1] - a[1]);
            if (y < lo || y > hi) {
                return true;
            }
        }
        return false;
    }

    /**
     * The world of this task.
     *
     * @param spec the world's settings
     * @return a world with this task's door
     */
    public TwoRoomWorld world(TwoRoomSpec spec) {
        return new TwoRoomWorld(spec, doorY);
    }
}
