package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;

/**
 * A perfect world model of one two-room task: each candidate is stepped through the true simulator from the current
 * state (the agent's position in arena units, {@link TwoRoomEnvironment#state()}), and every imagined frame is the
 * real frame at that position, rendered and encoded by the given encoder (all frames of a rollout in one batch).
 * Planning with it measures what the planner and its energy can do when the world model makes no error: if it
 * fails, a better predictor will not help; the energy (the encoder) or the planner must change. It costs one encoder
 * pass per candidate and imagined step (1,536 frames per replan with the demo's 64 samples x 6 steps x 4
 * iterations), so it is a diagnostic, not a planner for real use.
 */
public final class TwoRoomPerfectDynamics implements LatentDynamics {

    private final TwoRoomWorld world;
    private final ObservationEncoder encoder;

    /**
     * Creates the perfect model of a world.
     *
     * @param world the task's world (its door)
     * @param encoder the encoder whose tokens the planner compares (the world model's)
     */
    public TwoRoomPerfectDynamics(TwoRoomWorld world, ObservationEncoder encoder) {
        this.world = world;
        this.encoder = encoder;
    }

    @Override
    public int actionDim() {
        return 2;
    }

    @Override
    public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
        TwoRoomSpec spec = world.spec();
        int size = spec.size();
        Shape as = actions.getShape();
        if (as.dimension() != 3 || as.get(2) != 2 || state.getShape().size() != 2) {
            throw new IllegalArgumentException("a two-room rollout needs actions [S, H, 2] and a state [2] (the "
                    + "position), got " + as + " and " + state.getShape());
        }
        int s = (int) as.get(0);
        int h = (int) as.get(1);
        float[] start = state.toFloatArray();
        float[] a = actions.toFloatArray();
        List<byte[]> frames = new ArrayList<>(s * h);
        for (int i = 0; i < s; i++) {
            double[] p = {start[0] * size, start[1] * size};
            for (int t = 0; t < h; t++) {
                int o = (i * h + t) * 2;
                p = world.step(p, new double[] {a[o] * size, a[o + 1] * size});
                frames.add(world.render(p));
            }
        }
        try (NoGrad ignored = NoGrad.enter()) {
            NDArray z = encoder.encodeAll(actions.getManager(), frames, size); // [S*H, N, D]
            Shape zs = z.getShape();
            return GoalEnergy.layerNorm(z).reshape(s, h, zs.get(1), zs.get(2)); // [S, H, N, D]
        }
    }
}
