package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
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
 * <p>Instances hold two tables {@code [B or 1, 1, N, headDim]} (cos, and sin with the pairwise sign folded in).
 * Models keep full-grid tables ({@link #forGrid}) and {@link #select} the rows of a forward pass's token ids
 * (one gather per table), shared across blocks.
 */
public final class Rope3D implements AutoCloseable {

    private final NDArray cos;
    private final NDArray signedSin;
    private final int headDim;
    private final NDArray swap; // [headDim, headDim] permutation exchanging channels 2i and 2i+1
    private final boolean ownsSwap; // false for tables selected from a full-grid instance (which owns it)
    private final boolean ownsTables; // false for a view of a full-grid instance's tables

    private static final long[] SPLIT_QK_V = {2};

    private Rope3D(NDArray cos, NDArray signedSin, int headDim) {
        this.cos = cos;
        this.signedSin = signedSin;
        this.headDim = headDim;
        float[] p = new float[headDim * headDim];
        for (int i = 0; i < headDim; i++) {
            p[(i ^ 1) * headDim + i] = 1f; // column i takes input channel i ^ 1
        }
        this.swap = inTypeOf(cos, cos.getManager().create(p, new Shape(headDim, headDim)));
        this.ownsSwap = true;
        this.ownsTables = true;
    }

    private Rope3D(NDArray cos, NDArray signedSin, int headDim, NDArray sharedSwap, boolean ownsTables) {
        this.cos = cos;
        this.signedSin = signedSin;
        this.headDim = headDim;
        this.swap = sharedSwap;
        this.ownsSwap = false;
        this.ownsTables = ownsTables;
    }

    /**
     * Builds the tables of every token of a grid, in id order, for a cache kept by a model: the arrays belong to
     * {@code manager}, have the given type, no temporaries are left in {@code manager}, and the arrays are removed
     * from any open {@link NDScope} (so a forward pass inside a per-step scope may fill the cache safely).
     *
     * @param manager owner of the tables (a model's manager)
     * @param grid the token grid
     * @param headDim attention head width
     * @param type floating type of the queries and keys to rotate
     * @return the rotation tables {@code [1, 1, N, headDim]}, to {@link #select(NDArray)} from
     */
    public static Rope3D forGrid(NDManager manager, TokenGrid grid, int headDim, DataType type) {
        return ownedBy(manager, scratch -> forAllTokens(scratch, grid, headDim), headDim, type);
    }

    /**
     * Builds tables in a scratch manager and returns copies of them in {@code type}, owned by {@code manager} and
     * outside any {@link NDScope} (the intermediate arrays are freed with the scratch manager).
     */
    private static Rope3D ownedBy(NDManager manager, java.util.function.Function<NDManager, Rope3D> build,
            int headDim, DataType type) {
        Rope3D out;
        try (NDManager scratch = manager.newSubManager()) {
            Rope3D typed = build.apply(scratch).toType(type, false);
            NDArray cos = typed.cos.duplicate();
            NDArray signedSin = typed.signedSin.duplicate();
            cos.attach(manager);
            signedSin.attach(manager);
            out = new Rope3D(cos, signedSin, headDim);
            out.swap.attach(manager);
        }
        NDScope.unregister(out.cos, out.signedSin, out.swap);
        return out;
    }

    /**
     * Selects the tables of some tokens from full-grid tables (one gather per table, no trigonometry); the
     * selected tables share this instance's permutation matrix, so they must be closed before it.
     *
     * @param ids int64 token ids {@code [B, K]}, each below the grid's token count
     * @return tables {@code [B, 1, K, headDim]} owned by the ids' manager
     */
    public Rope3D select(NDArray ids) {
        NDManager m = ids.getManager();
        Shape s = cos.getShape();
        NDArray cosRows = cos.reshape(s.get(2), headDim); // [N, headDim], a view
        NDArray sinRows = signedSin.reshape(s.get(2), headDim);
        cosRows.attach(m);
        sinRows.attach(m);
        NDIndex index = new NDIndex("{}", ids);
        NDArray c = cosRows.get(m, index).expandDims(1); // [B, 1, K, headDim]
        NDArray sn = sinRows.get(m, index).expandDims(1);
        cosRows.close();
        sinRows.close();
        return new Rope3D(c, sn, headDim, swap, true);
    }

    /**
     * A view of these tables whose {@link #close()} frees nothing: lets a forward pass close whatever tables it got,
     * selected or cached, the same way.
     *
     * @return the same tables, not owned
     */
    public Rope3D view() {
        return new Rope3D(cos, signedSin, headDim, swap, false);
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

    /**
     * Builds the tables for explicit (possibly fractional) positions, for a cache kept by a model (as
     * {@link #forGrid}: the arrays belong to {@code manager}, have the given type and are removed from any open
     * {@link NDScope}). A zero coordinate leaves its axis's channels unrotated (cos 1, sin 0), which is how the
     * action-conditioned predictor rotates its conditioning tokens on time only.
     *
     * @param manager owner of the tables (a model's manager)
     * @param positions {@code 3 * n} values: (time, row, column) of each of the {@code n} tokens
     * @param headDim attention head width (even, at least 6)
     * @param type floating type of the queries and keys to rotate
     * @return the rotation tables {@code [1, 1, n, headDim]}
     */
    public static Rope3D forPositions(NDManager manager, float[] positions, int headDim, DataType type) {
        if (positions.length % 3 != 0) {
            throw new IllegalArgumentException("positions must hold 3 values per token, got " + positions.length);
        }
        return ownedBy(manager, scratch -> fromPositions(scratch.create(positions,
                new Shape(1, positions.length / 3, 3)), headDim).expandBatch(), headDim, type);
    }

    /**
     * Returns the tables in another floating type (computed in float32, then rounded), for float16 models.
     *
     * @param type the type of the queries and keys to rotate
     * @param closeThis whether to free this instance's tables when a converted copy is returned
     * @return this instance if it already has that type, else a converted copy owned by the same manager
     */
    public Rope3D toType(DataType type, boolean closeThis) {
        if (cos.getDataType() == type) {
            return this;
        }
        Rope3D converted = new Rope3D(cos.toType(type, false), signedSin.toType(type, false), headDim);
        if (closeThis) {
            close();
        }
        return converted;
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
        // partner: channels 2i and 2i+1 exchanged (the sign is folded into the sin table); a small matmul with a
        // permutation matrix is several times faster than flip/stack on CPU, forward and backward
        NDArray swapped = x.matMul(swap);
        return x.mul(cos).add(swapped.mul(signedSin));
    }

    /**
     * Splits fused attention heads into queries, keys and values and rotates the queries and keys (in one
     * {@link #rotate} call over both).
     *
     * @param qkvHeads {@code [3, B, heads, N, headDim]}, rows q, k, v
     * @return q and k rotated, and v: {@code [1, B, heads, N, headDim]} each
     */
    public NDList rotateQueriesAndKeys(NDArray qkvHeads) {
        // split (not slicing): its backward concatenates instead of zero-filling and accumulating
        NDList qkAndV = qkvHeads.split(SPLIT_QK_V, 0); // [2, B, H, N, hd], [1, B, H, N, hd]
        NDList qk = rotate(qkAndV.get(0)).split(2, 0); // [1, B, H, N, hd] each
        return new NDList(qk.get(0), qk.get(1), qkAndV.get(1));
    }

    /** Returns {@code float32} converted to the type of {@code like} (closing it), or itself if it already has it. */
    private static NDArray inTypeOf(NDArray like, NDArray float32) {
        if (like.getDataType() == float32.getDataType()) {
            return float32;
        }
        NDArray typed = float32.toType(like.getDataType(), false);
        float32.close();
        return typed;
    }

    /**
     * Returns the cos table {@code [B, 1, N, headDim]}.
     *
     * @return the cos table {@code [B, 1, N, headDim]}
     */
    public NDArray cos() {
        return cos;
    }

    @Override
    public void close() {
        if (ownsTables) {
            cos.close();
            signedSin.close();
        }
        if (ownsSwap) {
            swap.close();
        }
    }
}
