package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;

/**
 * How many imagined steps a world model keeps track of the agent, in pixels: from the start of two-room tasks the
 * model imagines {@code steps} frames of one full-reach action repeated (eight directions), and each imagined frame
 * is located at the position whose real encoded frame is nearest to it (mean L1 of layer-normed tokens, over a grid
 * of the task's free positions). The error is the distance between that position and where the agent really is
 * after the same actions; holding still (the start) is the baseline a model that ignores its actions gets.
 *
 * <p>Unlike {@link OpenLoopError} (the token error, which a model can lower without moving the agent at all), this
 * says whether the imagined agent moves with the actions, which is what planning needs: in the demo's measurements
 * models whose rollouts stay near the hold-still error plan at 0.1-0.25 while models at half of it plan at 0.8.
 *
 * @param model mean distance (px) between the imagined agent and the real one per step ahead (index 0 = 1 step)
 * @param holdStill mean distance (px) between the start and the real agent per step ahead
 * @param rollouts rollouts measured (tasks x 8 directions)
 */
public record RolloutTracking(double[] model, double[] holdStill, int rollouts) {

    private static final int DIRECTIONS = 8;

    /**
     * Measures the tracking error.
     *
     * @param dynamics the world model
     * @param encoder frame encoder of the world model
     * @param spec the world's settings
     * @param manager owner of temporaries
     * @param tasks number of tasks whose starts the rollouts begin at (&gt; 0)
     * @param steps imagined steps per rollout (&gt; 0)
     * @param gridStep spacing of the reference positions in pixels (&gt; 0; 3 px: about 400 frames per task)
     * @param seed seed of the tasks ({@link PlanningTask#sample})
     * @return the errors
     * @throws IllegalArgumentException if a count or the grid step is not positive
     */
    public static RolloutTracking measure(LatentDynamics dynamics, ObservationEncoder encoder, TwoRoomSpec spec,
            NDManager manager, int tasks, int steps, double gridStep, long seed) {
        return measure(dynamics, encoder, spec, manager, tasks, steps, 1, gridStep, seed);
    }

    /**
     * Measures the tracking error of a world model trained with a frame skip: each imagined step is one model
     * action, the sum of {@code frameStep} full-reach actions that the real agent takes one by one.
     *
     * @param dynamics the world model
     * @param encoder frame encoder of the world model
     * @param spec the world's settings
     * @param manager owner of temporaries
     * @param tasks number of tasks whose starts the rollouts begin at (&gt; 0)
     * @param steps imagined steps per rollout (&gt; 0)
     * @param frameStep real actions per imagined step (the model's {@code data.frame_step}, &gt; 0)
     * @param gridStep spacing of the reference positions in pixels (&gt; 0)
     * @param seed seed of the tasks ({@link PlanningTask#sample})
     * @return the errors, per imagined step
     * @throws IllegalArgumentException if a count or the grid step is not positive
     */
    public static RolloutTracking measure(LatentDynamics dynamics, ObservationEncoder encoder, TwoRoomSpec spec,
            NDManager manager, int tasks, int steps, int frameStep, double gridStep, long seed) {
        if (tasks < 1 || steps < 1 || frameStep < 1 || !(gridStep > 0)) {
            throw new IllegalArgumentException("rollout tracking needs tasks >= 1, steps >= 1, frameStep >= 1 and "
                    + "gridStep > 0, got " + tasks + ", " + steps + ", " + frameStep + " and " + gridStep);
        }
        int size = spec.size();
        double reach = spec.maxActionReach();
        double[] model = new double[steps];
        double[] hold = new double[steps];
        try (NoGrad ignored = NoGrad.enter()) {
            for (PlanningTask task : PlanningTask.sample(spec, tasks, seed)) {
                TwoRoomWorld world = task.world(spec);
                try (NDManager m = manager.newSubManager()) {
                    List<double[]> grid = new ArrayList<>();
                    NDList frames = new NDList();
                    for (double x = gridStep / 2; x < size; x += gridStep) {
                        for (double y = gridStep / 2; y < size; y += gridStep) {
                            if (!world.blocked(x, y)) {
                                grid.add(new double[] {x, y});
                                frames.add(encoder.encode(m, world.render(new double[] {x, y}), size)
                                        .expandDims(0)); // [1, N, D]
                            }
                        }
                    }
                    NDArray reference = GoalEnergy.layerNorm(NDArrays.concat(frames, 0)); // [G, N, D]
                    double[] start = task.start();
                    NDArray now = encoder.encode(m, world.render(start), size); // [N, D]
                    float[] acts = new float[DIRECTIONS * steps * 2];
                    double[][][] real = new double[DIRECTIONS][steps][];
                    for (int k = 0; k < DIRECTIONS; k++) {
                        double angle = 2 * Math.PI * k / DIRECTIONS;
                        double[] a = {reach * Math.cos(angle), reach * Math.sin(angle)};
                        double[] p = start;
                        for (int h = 0; h < steps; h++) {
                            acts[(k * steps + h) * 2] = (float) (frameStep * a[0] / size);
                            acts[(k * steps + h) * 2 + 1] = (float) (frameStep * a[1] / size);
                            for (int j = 0; j < frameStep; j++) {
                                p = world.step(p, a);
                            }
                            real[k][h] = p;
                        }
                    }
                    NDArray state = m.create(new float[] {(float) (start[0] / size), (float) (start[1] / size)});
                    NDArray imagined = dynamics.rollout(now, state,
                            m.create(acts, new Shape(DIRECTIONS, steps, 2))); // [8, H, N, D]
                    Shape s = imagined.getShape();
                    NDArray flat = GoalEnergy.layerNorm(imagined)
                            .reshape(DIRECTIONS * steps, 1, s.get(2), s.get(3)); // [8H, 1, N, D]
                    NDArray distance = flat.sub(reference.expandDims(0)).abs()
                            .mean(new int[] {3}).mean(new int[] {2}); // [8H, G]
                    long[] nearest = distance.argMin(1).toLongArray(); // [8H]
                    for (int k = 0; k < DIRECTIONS; k++) {
                        for (int h = 0; h < steps; h++) {
                            double[] q = grid.get((int) nearest[k * steps + h]);
                            double[] r = real[k][h];
                            model[h] += Math.hypot(q[0] - r[0], q[1] - r[1]);
                            hold[h] += Math.hypot(start[0] - r[0], start[1] - r[1]);
                        }
                    }
                }
            }
        }
        int rollouts = tasks * DIRECTIONS;
        for (int h = 0; h < steps; h++) {
            model[h] /= rollouts;
            hold[h] /= rollouts;
        }
        return new RolloutTracking(model, hold, rollouts);
    }

    /**
     * The errors as JSON: {@code {"steps_ahead": [...], "model_px": [...], "hold_still_px": [...], "rollouts": n}}.
     *
     * @return the JSON object
     */
    public JsonObject toJson() {
        JsonObject j = new JsonObject();
        JsonArray k = new JsonArray();
        JsonArray mo = new JsonArray();
        JsonArray ho = new JsonArray();
        for (int i = 0; i < model.length; i++) {
            k.add(i + 1);
            mo.add(Math.round(model[i] * 10) / 10.0);
            ho.add(Math.round(holdStill[i] * 10) / 10.0);
        }
        j.add("steps_ahead", k);
        j.add("model_px", mo);
        j.add("hold_still_px", ho);
        j.addProperty("rollouts", rollouts);
        return j;
    }

    /**
     * A text table: steps ahead, model error, hold-still error (pixels).
     *
     * @return the table
     */
    public String table() {
        StringBuilder sb = new StringBuilder("steps ahead   model px   hold-still px\n");
        for (int i = 0; i < model.length; i++) {
            sb.append(String.format(Locale.ROOT, "%11d   %8.1f   %13.1f%n", i + 1, model[i], holdStill[i]));
        }
        return sb.toString();
    }
}
