package org.jepa4j.video.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A goal-reaching task in the two-room world: a door, a start and a goal position, and whether start and goal lie
 * in different rooms ("cross-room": the straight line is blocked by the wall, so the path must go through the door).
 *
 * @param doorY the door's centre
 * @param start start position {@code {x, y}}
 * @param goal goal position {@code {x, y}}
 * @param crossRoom true when start and goal are in different rooms
 */
public record PlanningTask(double doorY, double[] start, double[] goal, boolean crossRoom) {

    /** Smallest start-goal distance of a drawn task, in pixels. */
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
                if (differ == cross && Math.hypot(s[0] - g[0], s[1] - g[1]) >= MIN_DISTANCE) {
                    tasks.add(new PlanningTask(world.doorY(), s, g, cross));
                    break;
                }
            }
        }
        return tasks;
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
