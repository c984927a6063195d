package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * 3D rotary position embedding of V-JEPA 2 (and Hugging Face VJEPA2), for one set of token ids.
 *
 * <p>The head dimension is split into three chunks of {@code d = 2 * ((headDim / 3) / 2)} channels rotated by
 * the token's time, row and column index; the remaining channels are left unrotated. Within a chunk,
 * {@code omega_k = 1 / 10000^(k / (d/2))} for {@code k < d/2}; the angles are tiled {@code [a_0..a_{d/2-1},
 * a_0..a_{d/2-1}]} (not interleaved) while the rotated partner is built pairwise,
 * {@code y[2i] = -x[2i+1], y[2i+1] = x[2i]}; output {@code x * cos + y * sin}. This mix is what the released
 * weights were trained with.
 *
 * <p>Instances hold two tables {@code [B or 1, 1, N, headDim]} (cos, and sin with the pairwise sign folded in);
 * build them once per forward pass and share them across blocks.
 */
public final class Rope3D implements AutoCloseable {

    private final NDArray cos;
    private final NDArray signedSin;
    private final int headDim;

    private Rope3D(NDArray cos, NDArray signedSin, int headDim) {
        this.cos = cos;
        this.signedSin = signedSin;
        this.headDim = headDim;
    }

    /**
     * Builds the tables for explicit token ids; the arrays belong to the ids' manager.
     *
     * @param ids int64 token ids {@code [B, N]} (time-major ids of {@code grid})
     * @param grid the token grid the ids refer to
     * @param headDim attention head width (even, at least 6)
     * @return the rotation tables
     */
    public static Rope3D forIds(NDArray ids, TokenGrid grid, int headDim) {
        NDArray idsF = ids.toType(DataType.FLOAT32, false); // [B, N]
        float perFrame = (float) grid.height() * grid.width();
        NDArray t = idsF.div(perFrame).floor();
        NDArray rest = idsF.sub(t.mul(perFrame));
        NDArray h = rest.div((float) grid.width()).floor();
        NDArray w = rest.sub(h.mul((float) grid.width()));
        NDArray pos = NDArrays.stack(new NDList(t, h, w), 2); // [B, N, 3]
        return fromPositions(pos, headDim).expandBatch();
    }

    /**
     * Builds the tables for all tokens of a grid in id order, owned by {@code manager}.
     *
     * @param manager owner of the tables
     * @param grid the token grid
     * @param headDim attention head width
     * @return the rotation tables (batch axis of size 1)
     */
    public static Rope3D forAllTokens(NDManager manager, TokenGrid grid, int headDim) {
        int n = grid.numTokens();
        float[] pos = new float[n * 3];
        int perFrame = grid.height() * grid.width();
        for (int id = 0; id < n; id++) {
            pos[3 * id] = id / perFrame;
            pos[3 * id + 1] = (id % perFrame) / grid.width();
            pos[3 * id + 2] = id % grid.width();
        }
        return fromPositions(manager.create(pos, new Shape(1, n, 3)), headDim).expandBatch();
    }

    private static Rope3D fromPositions(NDArray pos, int headDim) {
        // Frequency of every head channel for each axis: [3, headDim], zero on unrotated channels.
        int d = 2 * ((headDim / 3) / 2);
        float[] freq = new float[3 * headDim];
        float[] sign = new float[headDim];
        for (int axis = 0; axis < 3; axis++) {
            for (int j = 0; j < d; j++) {
                int k = j % (d / 2);
                freq[axis * headDim + axis * d + j] = (float) (1.0 / Math.pow(10000.0, k / (d / 2.0)));
            }
        }
        for (int j = 0; j < headDim; j++) {
            sign[j] = j % 2 == 0 ? -1f : 1f;
        }
        NDManager m = pos.getManager();
        NDArray angle = pos.matMul(m.create(freq, new Shape(3, headDim))); // [B, N, headDim]
        NDArray cos = angle.cos();
        NDArray signedSin = angle.sin().mul(m.create(sign));
        return new Rope3D(cos, signedSin, headDim);
    }

    private Rope3D expandBatch() {
        return new Rope3D(cos.expandDims(1), signedSin.expandDims(1), headDim); // [B, 1, N, headDim]
    }

    /**
     * Rotates queries and/or keys.
     *
     * @param x {@code [..., B, heads, N, headDim]}
     * @return rotated array of the same shape
     */
    public NDArray rotate(NDArray x) {
        Shape shape = x.getShape();
        long[] pairs = new long[shape.dimension() + 1];
        for (int i = 0; i < shape.dimension() - 1; i++) {
            pairs[i] = shape.get(i);
        }
        pairs[shape.dimension() - 1] = headDim / 2;
        pairs[shape.dimension()] = 2;
        // partner: swap channels 2i and 2i+1 (sign is folded into signedSin)
        NDArray swapped = x.reshape(new Shape(pairs)).flip(shape.dimension()).reshape(shape);
        return x.mul(cos).add(swapped.mul(signedSin));
    }

    /** Returns the cos table {@code [B, 1, N, headDim]}. */
    public NDArray cos() {
        return cos;
    }

    @Override
    public void close() {
        cos.close();
        signedSin.close();
    }
}
