package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A tiny known world for tests: tokens {@code z [N, D]} move linearly with the action,
 * {@code z_{t+1} = z_t + reshape(B a_t)}, with a fixed matrix {@code B [N*D, A]}.
 */
final class LinearLatentDynamics implements LatentDynamics {

    private final NDArray b; // [N*D, A]
    private final int n;
    private final int d;
    int calls;

    LinearLatentDynamics(NDManager manager, int n, int d, int a, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        float[] v = new float[n * d * a];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        this.b = manager.create(v, new Shape(n * d, a));
        this.n = n;
        this.d = d;
    }

    /** Tokens after applying the actions {@code [H][A]} from {@code z}. */
    NDArray apply(NDArray z, double[][] actions) {
        NDArray out = z;
        for (double[] act : actions) {
            float[] f = new float[act.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) act[i];
            }
            out = out.add(b.matMul(z.getManager().create(f)).reshape(n, d));
        }
        return out;
    }

    @Override
    public int actionDim() {
        return (int) b.getShape().get(1);
    }

    @Override
    public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
        calls++;
        long s = actions.getShape().get(0);
        long h = actions.getShape().get(1);
        NDArray deltas = actions.matMul(b.transpose()).reshape(s, h, n, d); // [S, H, N, D]
        NDArray cumulative = deltas.cumSum(1); // [S, H, N, D]
        return cumulative.add(tokens.expandDims(0).expandDims(0)); // [S, H, N, D]
    }
}
