package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jepa4j.core.tensor.NoGrad;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * A debugging view of the planner's objective: the energy of action sequences on a grid around a known sequence,
 * varying two action dimensions of the first action and keeping the rest. A good world model has its minimum at
 * (or near) the known action that reached the goal; a flat landscape means the planner gets no signal.
 *
 * @param xValues grid values of the first varied dimension
 * @param yValues grid values of the second varied dimension
 * @param energy {@code [y][x]} energies
 * @param known the known first action's values in the two dimensions
 */
public record EnergyLandscape(double[] xValues, double[] yValues, double[][] energy, double[] known) {

    /**
     * Computes the landscape with one batched rollout of all grid points.
     *
     * @param dynamics the world model
     * @param tokens current frame's tokens {@code [N, D]}
     * @param state current state {@code [A]}
     * @param goal goal tokens {@code [N, D]}
     * @param knownActions the known sequence {@code [H][A]}
     * @param dimX first varied action dimension
     * @param dimY second varied action dimension
     * @param radius half-width of the grid around the known values
     * @param steps grid points per axis (at least 2)
     * @param mode which imagined frames the energy looks at
     * @return the landscape
     */
    public static EnergyLandscape around(LatentDynamics dynamics, NDArray tokens, double[] state, NDArray goal,
            double[][] knownActions, int dimX, int dimY, double radius, int steps, EnergyMode mode) {
        int h = knownActions.length;
        int a = dynamics.actionDim();
        if (steps < 2 || dimX < 0 || dimY < 0 || dimX >= a || dimY >= a || dimX == dimY) {
            throw new IllegalArgumentException("need steps >= 2 and two different dimensions in [0, " + a
                    + "), got steps " + steps + ", dimensions " + dimX + ", " + dimY);
        }
        double[] xs = new double[steps];
        double[] ys = new double[steps];
        for (int i = 0; i < steps; i++) {
            double f = -radius + 2 * radius * i / (steps - 1);
            xs[i] = knownActions[0][dimX] + f;
            ys[i] = knownActions[0][dimY] + f;
        }
        int s = steps * steps;
        float[] candidates = new float[s * h * a];
        for (int iy = 0; iy < steps; iy++) {
            for (int ix = 0; ix < steps; ix++) {
                int c = iy * steps + ix;
                for (int t = 0; t < h; t++) {
                    for (int d = 0; d < a; d++) {
                        candidates[(c * h + t) * a + d] = (float) knownActions[t][d];
                    }
                }
                candidates[c * h * a + dimX] = (float) xs[ix];
                candidates[c * h * a + dimY] = (float) ys[iy];
            }
        }
        float[] e;
        try (NoGrad ignored = NoGrad.enter(); NDManager m = tokens.getManager().newSubManager()) {
            float[] st = new float[state.length];
            for (int i = 0; i < st.length; i++) {
                st[i] = (float) state[i];
            }
            NDArray actions = m.create(candidates, new Shape(s, h, a)); // [S, H, A]
            e = dynamics.energy(tokens, m.create(st), actions, goal, mode).toFloatArray(); // [S]
        }
        double[][] grid = new double[steps][steps];
        for (int iy = 0; iy < steps; iy++) {
            for (int ix = 0; ix < steps; ix++) {
                grid[iy][ix] = e[iy * steps + ix];
            }
        }
        return new EnergyLandscape(xs, ys, grid, new double[] {knownActions[0][dimX], knownActions[0][dimY]});
    }

    /**
     * The grid point of lowest energy.
     *
     * @return {@code {x, y}} values of the minimum
     */
    public double[] argmin() {
        int bx = 0;
        int by = 0;
        for (int iy = 0; iy < yValues.length; iy++) {
            for (int ix = 0; ix < xValues.length; ix++) {
                if (energy[iy][ix] < energy[by][bx]) {
                    bx = ix;
                    by = iy;
                }
            }
        }
        return new double[] {xValues[bx], yValues[by]};
    }

    /**
     * A text table: one row per y value, one column per x value, the minimum marked with {@code *}.
     *
     * @return the table
     */
    public String table() {
        double[] min = argmin();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "energy around (%.3f, %.3f), minimum at "
                + "(%.3f, %.3f)%n%9s", known[0], known[1], min[0], min[1], "y \\ x"));
        for (double x : xValues) {
            sb.append(String.format(Locale.ROOT, " %8.3f", x));
        }
        sb.append('\n');
        for (int iy = 0; iy < yValues.length; iy++) {
            sb.append(String.format(Locale.ROOT, "%9.3f", yValues[iy]));
            for (int ix = 0; ix < xValues.length; ix++) {
                boolean best = xValues[ix] == min[0] && yValues[iy] == min[1];
                sb.append(String.format(Locale.ROOT, " %7.4f%s", energy[iy][ix], best ? "*" : " "));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes the landscape as a PNG heat map.
     *
     * @param png destination file (parent folders created)
     * @param title chart title
     * @throws IOException if the file cannot be written
     */
    public void writePng(Path png, String title) throws IOException {
        HeatMapChart chart = new HeatMapChartBuilder().width(640).height(560).title(title)
                .xAxisTitle("action dim x").yAxisTitle("action dim y").build();
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setShowValue(false);
        List<Number[]> cells = new ArrayList<>();
        for (int iy = 0; iy < yValues.length; iy++) {
            for (int ix = 0; ix < xValues.length; ix++) {
                cells.add(new Number[] {ix, iy, energy[iy][ix]});
            }
        }
        List<String> xl = new ArrayList<>();
        for (double x : xValues) {
            xl.add(String.format(Locale.ROOT, "%.2f", x));
        }
        List<String> yl = new ArrayList<>();
        for (double y : yValues) {
            yl.add(String.format(Locale.ROOT, "%.2f", y));
        }
        chart.addSeries("energy", xl, yl, cells);
        if (png.toAbsolutePath().getParent() != null) {
            Files.createDirectories(png.toAbsolutePath().getParent());
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
