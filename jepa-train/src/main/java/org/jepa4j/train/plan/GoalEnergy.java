package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The energy of imagined frames against a goal: mean L1 distance between layer-normed (no affine, eps 1e-6)
 * predicted tokens and the layer-normed goal tokens, over all tokens and channels, of the last imagined frame or
 * of every imagined frame ({@link EnergyMode}).
 */
public final class GoalEnergy {

    private static final float EPS = 1e-6f;

    private GoalEnergy() {}

    /**
     * Layer norm without affine parameters over the last axis.
     *
     * @param x any shape {@code [..., D]}
     * @return the normalized array, same shape
     */
    public static NDArray layerNorm(NDArray x) {
        NDArray mean = x.mean(new int[] {-1}, true); // [..., 1]
        NDArray centered = x.sub(mean); // [..., D]
        NDArray var = centered.square().mean(new int[] {-1}, true); // [..., 1]
        return centered.div(var.add(EPS).sqrt()); // [..., D]
    }

    /**
     * The energy of an observed frame against the goal, with no imagination: {@link #of} of the observed tokens as
     * a one-frame rollout (the goal-reached test of {@link CemConfig#goalTolerance()} and its calibration).
     *
     * @param observed observed frame's tokens {@code [N, D]}
     * @param goal goal tokens {@code [N, D]}
     * @return the energy, lower is closer to the goal
     * @throws IllegalArgumentException if the tokens are not {@code [N, D]} or the goal's shape differs
     */
    public static double ofObservation(NDArray observed, NDArray goal) {
        if (observed.getShape().dimension() != 2) {
            throw new IllegalArgumentException("observed tokens " + observed.getShape() + " must be [N, D]");
        }
        try (NDManager m = observed.getManager().newSubManager()) {
            Shape o = observed.getShape();
            NDArray frame = observed.reshape(1, 1, o.get(0), o.get(1)); // [1, 1, N, D]
            frame.attach(m);
            NDArray energy = of(frame, goal, EnergyMode.LAST_FRAME); // [1]
            energy.attach(m);
            return energy.getFloat();
        }
    }

    /**
     * Scores imagined rollouts.
     *
     * @param predicted imagined tokens {@code [S, H, N, D]}
     * @param goal goal tokens {@code [N, D]}
     * @param mode which imagined frames count
     * @return energies {@code [S]}, lower is closer to the goal
     */
    public static NDArray of(NDArray predicted, NDArray goal, EnergyMode mode) {
        Shape p = predicted.getShape();
        if (p.dimension() != 4 || goal.getShape().dimension() != 2 || p.get(2) != goal.getShape().get(0)
                || p.get(3) != goal.getShape().get(1)) {
            throw new IllegalArgumentException("goal tokens " + goal.getShape() + " do not match predicted tokens "
                    + p + " (expected goal [N, D] = [" + (p.dimension() == 4 ? p.get(2) + ", " + p.get(3) : "?")
                    + "])");
        }
        NDArray target = layerNorm(goal).expandDims(0).expandDims(0); // [1, 1, N, D]
        NDArray frames = mode == EnergyMode.LAST_FRAME
                ? predicted.get(":, -1:, :, :") // [S, 1, N, D]
                : predicted; // [S, H, N, D]
        NDArray dist = layerNorm(frames).sub(target).abs(); // [S, H', N, D]
        return dist.reshape(p.get(0), -1).mean(new int[] {1}); // [S]
    }
}
