package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Fixed sin-cos position tables of the references, computed in double precision as NumPy does there and
 * returned row-major {@code [numTokens, width]} as floats.
 */
public final class SinCosTables {

    private SinCosTables() {}

    /**
     * The fixed sin-cos position table of a module, or null for position kinds without one.
     *
     * @param manager owner of the table
     * @param kind the module's position kind ({@code SINCOS_2D} or {@code SINCOS_3D} give a table)
     * @param grid the token grid
     * @param width channels per token
     * @param uniformPower 3D only: equal channel shares for t, h and w
     * @return a constant {@code [N, width]} table in the current parameter type, or null
     */
    static NDArray fixedTable(NDManager manager, PositionKind kind, TokenGrid grid, int width, boolean uniformPower) {
        Shape shape = new Shape(grid.numTokens(), width);
        return switch (kind) {
            case SINCOS_2D -> Init.buffer(manager, table2d(width, grid.height(), grid.width()), shape);
            case SINCOS_3D -> Init.buffer(manager, table3d(width, grid, uniformPower), shape);
            default -> null;
        };
    }

    /**
     * I-JEPA 2D table: the first half of the channels encodes the column index, the second half the row index
     * (the references' meshgrid order), each half {@code [sin(p * omega), cos(p * omega)]}.
     *
     * @param width channels (divisible by 4)
     * @param rows grid height
     * @param cols grid width
     * @return {@code rows * cols * width} values, token id {@code r * cols + c}
     */
    public static float[] table2d(int width, int rows, int cols) {
        int half = width / 2;
        float[] out = new float[rows * cols * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int base = (r * cols + c) * width;
                fill1d(out, base, half, c);
                fill1d(out, base + half, half, r);
            }
        }
        return out;
    }

    /**
     * V-JEPA 3D table: channels {@code [time, row, column]}; without uniform power time gets {@code width/2}
     * and row/column {@code width/4} each; with uniform power each gets {@code 2 * ceil(width / 6)} and the
     * concatenation is cut to {@code width}.
     *
     * @param width channels
     * @param grid token grid
     * @param uniformPower the V-JEPA {@code uniform_power} option
     * @return {@code numTokens * width} values in id order
     */
    public static float[] table3d(int width, TokenGrid grid, boolean uniformPower) {
        int dt;
        int dh;
        int dw;
        if (uniformPower) {
            dt = dh = dw = (int) Math.ceil(width / 6.0) * 2;
        } else {
            dh = dw = width / 4;
            dt = width / 2;
        }
        float[] row = new float[dt + dh + dw];
        float[] out = new float[grid.numTokens() * width];
        int id = 0;
        for (int t = 0; t < grid.depth(); t++) {
            for (int h = 0; h < grid.height(); h++) {
                for (int w = 0; w < grid.width(); w++) {
                    fill1d(row, 0, dt, t);
                    fill1d(row, dt, dh, h);
                    fill1d(row, dt + dh, dw, w);
                    System.arraycopy(row, 0, out, id * width, width);
                    id++;
                }
            }
        }
        return out;
    }

    /** Writes the 1D embedding [sin(p w_0..), cos(p w_0..)] of {@code dim} channels at {@code offset}. */
    private static void fill1d(float[] out, int offset, int dim, double pos) {
        int half = dim / 2;
        for (int k = 0; k < half; k++) {
            double omega = 1.0 / Math.pow(10000.0, k / (dim / 2.0));
            out[offset + k] = (float) Math.sin(pos * omega);
            out[offset + half + k] = (float) Math.cos(pos * omega);
        }
    }
}
