package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The repulsion term of a {@link StallEscape}: a penalty on imagined frames near frames already observed,
 * {@code weight * mean_t sum_v exp(-L1(LN(z_t), LN(z_v)) / width)}, with the L1 a mean over tokens and channels as in
 * {@link GoalEnergy}.
 *
 * @param visited layer-normed tokens of the observed frames {@code [M, N, D]} ({@link GoalEnergy#layerNorm})
 * @param weight weight of the term (&gt; 0)
 * @param width energy scale of the kernel (&gt; 0)
 */
public record Repulsion(NDArray visited, double weight, double width) {

    /** Validates the arguments. */
    public Repulsion {
        if (visited.getShape().dimension() != 3 || visited.getShape().get(0) < 1) {
            throw new IllegalArgumentException("visited tokens must be [M, N, D] with M >= 1, got "
                    + visited.getShape());
        }
        if (!(weight > 0) || !(width > 0)) {
            throw new IllegalArgumentException("repulsion weight and width must be > 0, got " + weight + " and "
                    + width);
        }
    }

    /**
     * The penalty of imagined rollouts.
     *
     * @param predicted imagined tokens {@code [S, H, N, D]}
     * @param mode which imagined frames count (as in the goal energy)
     * @return penalties {@code [S]}
     * @throws IllegalArgumentException if the tokens do not match the visited frames' {@code [N, D]}
     */
    public NDArray of(NDArray predicted, EnergyMode mode) {
        Shape p = predicted.getShape();
        Shape v = visited.getShape();
        if (p.dimension() != 4 || p.get(2) != v.get(1) || p.get(3) != v.get(2)) {
            throw new IllegalArgumentException("imagined tokens " + p + " do not match the visited frames " + v
                    + " (expected [S, H, " + v.get(1) + ", " + v.get(2) + "])");
        }
        NDArray frames = mode == EnergyMode.LAST_FRAME ? predicted.get(":, -1:, :, :") : predicted; // [S, H', N, D]
        NDArray z = GoalEnergy.layerNorm(frames).expandDims(2); // [S, H', 1, N, D]
        NDArray diff = z.sub(visited.expandDims(0).expandDims(0)).abs(); // [S, H', M, N, D]
        Shape d = diff.getShape();
        NDArray dist = diff.reshape(d.get(0), d.get(1), d.get(2), -1).mean(new int[] {3}); // [S, H', M]
        NDArray kernel = dist.div(-width).exp().sum(new int[] {2}); // [S, H']
        return kernel.mean(new int[] {1}).mul(weight); // [S]
    }
}
