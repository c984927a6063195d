package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.tensor.ParameterType;

/**
 * How a module's tokens know their place in the {@link TokenGrid}, from their ids: a table added to the tokens
 * (fixed sin-cos, or learned) or 3D rotary tables for the attention layers ({@link Rope3D}). The encoder and the
 * predictor each hold one.
 *
 * <ul>
 *   <li>{@link PositionKind#SINCOS_2D}, {@link PositionKind#SINCOS_3D}: a constant {@code [N, width]} buffer;
 *   <li>{@link PositionKind#LEARNED}: a parameter {@code [1, N, width]} (the owning module names it);
 *   <li>{@link PositionKind#ROPE_3D}: full-grid rotation tables {@code [1, 1, N, headDim]}, built once per grid in
 *       the module's manager (the configured grid at construction, outside any caller's NDScope) and gathered by id
 *       per forward pass;
 *   <li>{@link PositionKind#NONE}: nothing.
 * </ul>
 * Tables are fixed to the configured grid (not interpolated); RoPE accepts any grid.
 */
public final class TokenPositions {

    private final PositionKind kind;
    private final TokenGrid grid;
    private final int width;
    private final int headDim;
    private final NDManager manager;
    private final DataType dataType; // of the tables (the ParameterType at construction)
    private final NDArray learned; // [1, N, width] or null
    private final NDArray fixed; // [N, width] or null
    private final Map<TokenGrid, Rope3D> ropeCache = new HashMap<>(); // full-grid tables per grid

    /**
     * Creates the positions of a module; a learned table is drawn from {@code random} here (trunc-normal, std 0.02),
     * so the owning module creates this where the reference draws its {@code pos_embed}.
     *
     * @param manager owner of the tables (the module's manager)
     * @param random source of a learned table's initial values
     * @param kind how tokens are positioned
     * @param grid the configured token grid
     * @param width channels per token
     * @param headDim attention head width (RoPE)
     * @param uniformPower SINCOS_3D only: equal channel shares for t, h and w
     */
    public TokenPositions(NDManager manager, Random random, PositionKind kind, TokenGrid grid, int width, int headDim,
            boolean uniformPower) {
        this.kind = kind;
        this.grid = grid;
        this.width = width;
        this.headDim = headDim;
        this.manager = manager;
        this.dataType = ParameterType.current();
        int n = grid.numTokens();
        learned = kind == PositionKind.LEARNED ? Init.truncNormal(manager, random, Init.STD, 1, n, width) : null;
        fixed = SinCosTables.fixedTable(manager, kind, grid, width, uniformPower); // [N, width] or null
        if (kind == PositionKind.ROPE_3D) {
            ropeTables(grid); // built now, outside any caller's NDScope
        }
    }

    /**
     * Adds the position-table rows of the tokens' ids to them (sin-cos and learned kinds); other kinds return the
     * tokens unchanged.
     *
     * @param x tokens {@code [B, K, width]}
     * @param ids int64 {@code [B, K]} ids of the tokens, or null when {@code x} holds every token in id order
     * @param inputGrid the grid the ids refer to
     * @return {@code x + table[ids]}, {@code [B, K, width]}
     * @throws IllegalArgumentException if a table kind meets another grid than the configured one
     */
    public NDArray addTo(NDArray x, NDArray ids, TokenGrid inputGrid) {
        if (!kind.isAdditive()) {
            return x;
        }
        if (!inputGrid.equals(grid)) {
            throw new IllegalArgumentException("Token grid " + inputGrid + " differs from the configured " + grid
                    + "; " + kind + " position tables are not interpolated");
        }
        NDManager m = x.getManager();
        NDArray table = fixed; // [N, width]
        if (learned != null) {
            table = learned.reshape(grid.numTokens(), width); // [N, width], a view
            table.attach(m);
        }
        return x.add(ids == null ? table : table.get(m, new NDIndex("{}", ids))); // + [B, K, width]
    }

    /**
     * The rotation tables of one forward pass (RoPE only), to pass to every block and close after the last one.
     *
     * @param ids int64 {@code [B, K]} ids of the tokens, or null for every token of {@code inputGrid} in id order
     * @param inputGrid the grid the ids refer to
     * @return {@code [B, 1, K, headDim]} tables gathered by id, or the cached {@code [1, 1, N, headDim]} full-grid
     *     tables as a view that closing leaves intact; null for kinds other than ROPE_3D
     */
    public Rope3D rope(NDArray ids, TokenGrid inputGrid) {
        if (kind != PositionKind.ROPE_3D) {
            return null;
        }
        Rope3D all = ropeTables(inputGrid); // [1, 1, N, hd]
        return ids == null ? all.view() : all.select(ids);
    }

    /** Full-grid RoPE tables of a grid, built once per grid in the module's manager and kept across scopes. */
    private Rope3D ropeTables(TokenGrid g) {
        return ropeCache.computeIfAbsent(g, key -> Rope3D.forGrid(manager, key, headDim, dataType));
    }

    /**
     * The position kind.
     *
     * @return how tokens are positioned
     */
    public PositionKind kind() {
        return kind;
    }

    /**
     * The learned table, a parameter of the owning module.
     *
     * @return {@code [1, N, width]} for {@link PositionKind#LEARNED}, else null
     */
    public NDArray learnedTable() {
        return learned;
    }
}
