package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;

/**
 * Calibrates the goal tolerance of {@link CemConfig.Builder#optGoalTolerance} for one encoder in the two-room world:
 * the tolerance that corresponds to the agent standing a given distance from the goal.
 *
 * <p>The goal tolerance is an energy (mean L1 between layer-normed tokens of the observed frame and of the goal), so
 * its scale is the encoder's: a value tuned for one encoder holds too early or never for another. This class
 * converts a distance in pixels into that scale by measurement: for calibration goals drawn from a seed, it encodes
 * the goal frame and the frames with the agent {@code radius} pixels away in eight directions (directions a wall
 * blocks are left out) and returns the mean of their energies ({@link GoalEnergy#ofObservation}, the planner's own
 * goal-reached test). A user with their
 * own robot does the same with a few frames taken near a goal.
 */
public final class TwoRoomGoalTolerance {

    private static final int DIRECTIONS = 8;

    private TwoRoomGoalTolerance() {}

    /**
     * Measures the tolerance.
     *
     * @param encoder the frozen encoder the planner observes with
     * @param spec the world
     * @param radius distance of the agent from the goal in pixels (&gt; 0)
     * @param goals number of calibration goals (&gt; 0)
     * @param seed seed of the calibration goals (use one that no evaluation uses)
     * @param manager parent of the temporary arrays
     * @return the mean energy of the frames {@code radius} pixels off the goal
     * @throws IllegalArgumentException if radius or goals is not positive
     */
    public static double calibrate(ObservationEncoder encoder, TwoRoomSpec spec, double radius, int goals, long seed,
            NDManager manager) {
        if (!(radius > 0) || goals < 1) {
            throw new IllegalArgumentException("goal tolerance calibration needs radius > 0 px and goals >= 1, got "
                    + radius + " px and " + goals + " goals");
        }
        List<PlanningTask> tasks = PlanningTask.sample(spec, goals, seed);
        double sum = 0;
        int count = 0;
        try (NoGrad ignored = NoGrad.enter()) {
            for (PlanningTask task : tasks) {
                TwoRoomWorld world = task.world(spec);
                double[] goal = task.goal();
                try (NDManager m = manager.newSubManager()) {
                    NDArray goalTokens = encoder.encode(m, world.render(goal), spec.size()); // [N, D]
                    for (int k = 0; k < DIRECTIONS; k++) {
                        double angle = 2 * Math.PI * k / DIRECTIONS;
                        double[] step = {radius * Math.cos(angle), radius * Math.sin(angle)};
                        double[] p = world.step(goal, step);
                        if (Math.hypot(p[0] - goal[0], p[1] - goal[1]) < radius - 1e-3) {
                            continue; // a wall or the border stopped the agent short of the radius
                        }
                        NDArray tokens = encoder.encode(m, world.render(p), spec.size()); // [N, D]
                        sum += GoalEnergy.ofObservation(tokens, goalTokens);
                        count++;
                    }
                }
            }
        }
        if (count == 0) {
            throw new IllegalStateException("no calibration frame " + radius + " px off any of " + goals + " goals");
        }
        return sum / count;
    }
}
