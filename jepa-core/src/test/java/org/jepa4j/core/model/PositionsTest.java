package org.jepa4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Sin-cos tables and RoPE follow the reference formulas. */
class PositionsTest {

    @Test
    void table2dPutsColumnFirstThenRow() {
        int d = 8; // each half: 4 channels = [sin(p w0), sin(p w1), cos(p w0), cos(p w1)], w = 1, 1/100
        float[] t = SinCosTables.table2d(d, 3, 4);
        int id = 1 * 4 + 2; // row 1, column 2
        float[] expected = {(float) Math.sin(2), (float) Math.sin(0.02), (float) Math.cos(2), (float) Math.cos(0.02),
            (float) Math.sin(1), (float) Math.sin(0.01), (float) Math.cos(1), (float) Math.cos(0.01)};
        float[] row = java.util.Arrays.copyOfRange(t, id * d, id * d + d);
        assertArrayEquals(expected, row, 1e-7f);
    }

    @Test
    void table3dSplitsTimeHalfRowQuarterColumnQuarter() {
        int d = 16; // time 8 channels, rows 4, columns 4
        TokenGrid g = new TokenGrid(2, 3, 3);
        float[] t = SinCosTables.table3d(d, g, false);
        int id = 1 * 9 + 2 * 3 + 1; // t=1, h=2, w=1
        assertEquals((float) Math.sin(1), t[id * d], 1e-7f); // time channel 0
        assertEquals((float) Math.cos(1), t[id * d + 4], 1e-7f); // time cos block starts at 8/2
        assertEquals((float) Math.sin(2), t[id * d + 8], 1e-7f); // row channel 0
        assertEquals((float) Math.sin(1), t[id * d + 12], 1e-7f); // column channel 0
    }

    @Test
    void table3dUniformPowerCutsToWidth() {
        int d = 20; // 2 * ceil(20 / 6) = 8 channels per axis, 24 cut to 20
        float[] t = SinCosTables.table3d(d, new TokenGrid(2, 2, 2), true);
        assertEquals(8 * d, t.length);
        int id = 7; // t=1, h=1, w=1
        assertEquals((float) Math.sin(1), t[id * d + 16], 1e-7f); // column block starts at 16
        assertEquals((float) Math.sin(0.1), t[id * d + 17], 1e-7f); // omega_1 = 1/10000^(1/4)
    }

    @Test
    void ropeFromIdsMatchesTheFormulaAndTheAllTokenTables() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenGrid g = new TokenGrid(2, 3, 4);
            int hd = 16; // chunks of 2*((16/3)/2) = 4 channels: t [0,4), h [4,8), w [8,12), 4 unrotated
            long id = 1 * 12 + 2 * 4 + 3; // t=1, h=2, w=3
            NDArray ids = m.create(new long[] {id, 0}, new Shape(1, 2));
            Rope3D rope = Rope3D.forIds(ids, g, hd);
            Rope3D all = Rope3D.forAllTokens(m, g, hd);
            float[] x = new float[hd];
            for (int i = 0; i < hd; i++) {
                x[i] = i + 1;
            }
            NDArray xs = m.create(x, new Shape(1, 1, 1, hd)).repeat(2, 2); // [B=1, H=1, N=2, hd]
            float[] out = rope.rotate(xs).toFloatArray();
            float[] expected = new float[hd];
            double[] pos = {1, 2, 3};
            for (int axis = 0; axis < 3; axis++) {
                for (int j = 0; j < 4; j++) {
                    int c = axis * 4 + j;
                    double angle = pos[axis] / Math.pow(10000, (j % 2) / 2.0);
                    double partner = c % 2 == 0 ? -x[c + 1] : x[c - 1];
                    expected[c] = (float) (x[c] * Math.cos(angle) + partner * Math.sin(angle));
                }
            }
            for (int c = 12; c < hd; c++) {
                expected[c] = x[c];
            }
            assertArrayEquals(expected, java.util.Arrays.copyOf(out, hd), 1e-5f);
            // the all-token table at row `id` is the same rotation
            float[] allCos = all.cos().get("0, 0, " + id).toFloatArray();
            assertArrayEquals(rope.cos().get("0, 0, 0").toFloatArray(), allCos, 1e-6f);
            assertEquals(DataType.FLOAT32, rope.cos().getDataType());
        }
    }
}
