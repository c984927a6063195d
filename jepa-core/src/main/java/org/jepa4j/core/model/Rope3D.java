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
 * build them once per forward pass and share them across blocks. Not thread-safe (the query/key tables of the
 * last attention scale are cached lazily); a model is used by one thread at a time, as DJL's grad mode requires.
 */
public final class Rope3D implements AutoCloseable {

    private final NDArray cos;
    private final NDArray signedSin;
    private final int headDim;
    private final NDArray swap; // [headDim, headDim] permutation exchanging channels 2i and 2i+1
    private float qkScale = Float.NaN;
    private NDArray qkCos; // [2, B, 1, N, headDim]: queries scaled, keys not
    private NDArray qkSignedSin;

    private Rope3D(NDArray cos, NDArray signedSin, int headDim) {
        this.cos = cos;
        this.signedSin = signedSin;
        this.headDim = headDim;
        float[] p = new float[headDim * headDim];
        for (int i = 0; i < headDim; i++) {
            p[(i ^ 1) * headDim + i] = 1f; // column i takes input channel i ^ 1
        }
        this.swap = cos.getManager().create(p, new Shape(headDim, headDim));
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
        Rope3D out = new Rope3D(cos.expandDims(1), signedSin.expandDims(1), headDim); // [B, 1, N, headDim]
        close();
        return out;
    }

    /**
     * Rotates queries and/or keys.
     *
     * @param x {@code [..., B, heads, N, headDim]}
     * @return rotated array of the same shape
     */
    public NDArray rotate(NDArray x) {
        return rotateWith(x, cos, signedSin);
    }

    /**
     * Rotates stacked queries and keys and multiplies the queries by {@code queryScale} (the attention scale),
     * in the same elementwise operations. Tables for the last scale are kept.
     *
     * @param qk {@code [2, B, heads, N, headDim]}: queries then keys
     * @param queryScale factor for the queries
     * @return rotated {@code [2, B, heads, N, headDim]}
     */
    public NDArray rotateQueryKey(NDArray qk, float queryScale) {
        if (queryScale != qkScale) {
            NDArray scales = cos.getManager().create(new float[] {queryScale, 1f}).reshape(2, 1, 1, 1, 1);
            if (qkCos != null) {
                qkCos.close();
                qkSignedSin.close();
            }
            qkCos = cos.expandDims(0).mul(scales);
            qkSignedSin = signedSin.expandDims(0).mul(scales);
            scales.close();
            qkScale = queryScale;
        }
        return rotateWith(qk, qkCos, qkSignedSin);
    }

    private NDArray rotateWith(NDArray x, NDArray c, NDArray s) {
        // partner: channels 2i and 2i+1 exchanged (the sign is folded into the sin table); a small matmul with a
        // permutation matrix is several times faster than flip/stack on CPU, forward and backward
        NDArray swapped = x.matMul(swap);
        return x.mul(c).add(swapped.mul(s));
    }

    /** Returns the cos table {@code [B, 1, N, headDim]}. */
    public NDArray cos() {
        return cos;
    }

    @Override
    public void close() {
        cos.close();
        signedSin.close();
        swap.close();
        if (qkCos != null) {
            qkCos.close();
            qkSignedSin.close();
        }
    }
}
