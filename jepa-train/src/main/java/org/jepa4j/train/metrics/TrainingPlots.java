package org.jepa4j.train.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a run, drawn with XChart (headless): {@code loss.png} (total and per-mask-set loss, grad
 * norm), {@code schedules.png} (lr, weight decay, EMA momentum) and {@code collapse.png} (feature std and
 * RankMe, when measured). Files are replaced atomically.
 */
public final class TrainingPlots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;

    private TrainingPlots() {
    }

    /**
     * Draws every chart the rows have data for.
     *
     * @param rows metrics in step order
     * @param plotsDir destination folder (created if missing)
     * @return the PNG files written
     * @throws IOException if a file cannot be written
     */
    public static List<Path> write(List<StepMetrics> rows, Path plotsDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(plotsDir);
        List<Path> written = new ArrayList<>();
        if (rows.isEmpty()) {
            return written;
        }
        XYChart loss = chart("Loss", "loss");
        add(loss, "loss", rows, StepMetrics::loss);
        int sets = rows.get(rows.size() - 1).lossPerMaskSet().size();
        for (int i = 0; i < sets; i++) {
            int k = i;
            add(loss, "mask set " + i, rows, r -> k < r.lossPerMaskSet().size() ? r.lossPerMaskSet().get(k) : Double.NaN);
        }
        XYChart grad = chart("Gradient norm (before clipping)", "global L2 norm");
        add(grad, "grad norm", rows, StepMetrics::gradNorm);
        written.add(save(List.of(loss, grad), plotsDir.resolve("loss.png")));

        XYChart lr = chart("Learning rate", "lr");
        lr.getStyler().setYAxisDecimalPattern("0.00E0");
        add(lr, "lr", rows, StepMetrics::lr);
        XYChart wd = chart("Weight decay", "wd");
        add(wd, "wd", rows, StepMetrics::wd);
        wd.getStyler().setYAxisDecimalPattern("0.0###");
        XYChart m = chart("EMA momentum", "momentum");
        m.getStyler().setYAxisDecimalPattern("0.00000");
        add(m, "momentum", rows, StepMetrics::momentum);
        written.add(save(List.of(lr, wd, m), plotsDir.resolve("schedules.png")));

        if (rows.stream().anyMatch(StepMetrics::hasCollapse)) {
            XYChart std = chart("Pooled feature std per dimension", "std");
            add(std, "mean over dims", rows, StepMetrics::featureStdMean);
            add(std, "min over dims", rows, StepMetrics::featureStdMin);
            XYChart rank = chart("RankMe effective rank", "rank");
            add(rank, "RankMe", rows, StepMetrics::rankMe);
            written.add(save(List.of(std, rank), plotsDir.resolve("collapse.png")));
        }
        return written;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle(yTitle).build();
        c.getStyler().setMarkerSize(3);
        c.getStyler().setXAxisTickMarkSpacingHint(110);
        c.getStyler().setYAxisTickMarkSpacingHint(45);
        c.getStyler().setXAxisDecimalPattern("#");
        c.getStyler().setLegendVisible(true);
        return c;
    }

    /** Adds the finite points of one series; series without any are skipped. */
    private static void add(XYChart chart, String name, List<StepMetrics> rows, ToDoubleFunction<StepMetrics> f) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (StepMetrics r : rows) {
            double y = f.applyAsDouble(r);
            if (Double.isFinite(y)) {
                xs.add((double) r.step());
                ys.add(y);
            }
        }
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(xs.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }

    private static Path save(List<XYChart> charts, Path file) throws IOException {
        List<XYChart> nonEmpty = charts.stream().filter(c -> !c.getSeriesMap().isEmpty()).toList();
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp.png");
        if (nonEmpty.isEmpty()) {
            return file;
        }
        try (var out = Files.newOutputStream(tmp)) {
            BitmapEncoder.saveBitmap(nonEmpty, nonEmpty.size(), 1, out,
                    BitmapEncoder.BitmapFormat.PNG);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
