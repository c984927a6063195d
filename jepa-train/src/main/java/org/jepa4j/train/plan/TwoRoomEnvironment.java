package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;

/**
 * One planning task of the two-room world as a {@link PlanningEnvironment}: the true simulator moves the agent,
 * frames are rendered and encoded for the planner, the path is recorded, and the goal counts as reached when the
 * agent's centre is within the success radius of the goal. As in the collected episodes, the planner's states and
 * actions are in units of the arena size (position / size, displacement / size).
 */
public final class TwoRoomEnvironment implements PlanningEnvironment {

    private final TwoRoomWorld world;
    private final PlanningTask task;
    private final ObservationEncoder encoder;
    private final double successRadius;
    private final List<double[]> path = new ArrayList<>();
    private double[] position;

    /**
     * Creates the environment at the task's start.
     *
     * @param spec the world's settings
     * @param task start, goal and door
     * @param encoder frame encoder for {@link #observe} (null for controllers that do not look at frames)
     * @param successRadius distance to the goal that counts as reached, in pixels
     */
    public TwoRoomEnvironment(TwoRoomSpec spec, PlanningTask task, ObservationEncoder encoder, double successRadius) {
        this.world = task.world(spec);
        this.task = task;
        this.encoder = encoder;
        this.successRadius = successRadius;
        this.position = task.start().clone();
        path.add(position.clone());
    }

    /** @return the world (door and physics) */
    public TwoRoomWorld world() {
        return world;
    }

    /** @return the task */
    public PlanningTask task() {
        return task;
    }

    /** @return the positions visited, start first */
    public List<double[]> path() {
        return path;
    }

    /** @return the agent's position */
    public double[] position() {
        return position.clone();
    }

    /** @return distance from the agent to the goal */
    public double distanceToGoal() {
        return Math.hypot(position[0] - task.goal()[0], position[1] - task.goal()[1]);
    }

    /**
     * Encodes the goal image (the agent rendered at the goal).
     *
     * @param manager owner of the returned array
     * @return goal tokens {@code [N, D]}
     */
    public NDArray goalTokens(NDManager manager) {
        return encoder.encode(manager, world.render(task.goal()), world.spec().size());
    }

    @Override
    public NDArray observe(NDManager manager) {
        return encoder.encode(manager, world.render(position), world.spec().size());
    }

    @Override
    public double[] state() {
        return new double[] {position[0] / world.spec().size(), position[1] / world.spec().size()};
    }

    @Override
    public void act(double[] action) {
        actPixels(new double[] {action[0] * world.spec().size(), action[1] * world.spec().size()});
    }

    /**
     * Executes one action given in pixels.
     *
     * @param displacement intended displacement {@code {dx, dy}} in pixels
     */
    public void actPixels(double[] displacement) {
        position = world.step(position, displacement);
        path.add(position.clone());
    }

    @Override
    public boolean reached() {
        return distanceToGoal() < successRadius;
    }
}
