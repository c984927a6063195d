package org.jepa4j.train.metrics;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.core.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PNG charts of a run, drawn with XChart (headless): {@code loss.png} (total and per-part loss, labelled by
 * {@link PlotHistory#lossPartLabel(int)}, grad norm), {@code schedules.png} (lr, weight decay, EMA momentum) and {@code collapse.png} (feature std and
 * RankMe, when measured). Files are replaced atomically. The data come from a {@link PlotHistory}, which keeps
 * every point of a short run and a bounded, decimated set of a long one.
 */
public final class TrainingPlots {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingPlots.class);
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
        return write(PlotHistory.of(rows), plotsDir);
    }

    /**
     * Draws every chart the history has data for.
     *
     * @param history the run's metrics in bounded memory
     * @param plotsDir destination folder (created if missing)
     * @return the PNG files written
     * @throws IOException if a file cannot be written
     */
    public static List<Path> write(PlotHistory history, Path plotsDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(plotsDir);
        List<Path> written = new ArrayList<>();
        if (history.rows() == 0) {
            return written;
        }
        XYChart loss = chart("Loss", "loss");
        add(loss, "loss", history, PlotHistory.LOSS);
        for (int i = 0; i < history.maskSets(); i++) {
            add(loss, history.lossPartLabel(i), history, PlotHistory.maskSetKey(i));
        }
        XYChart grad = chart("Gradient norm (before clipping)", "global L2 norm");
        add(grad, "grad norm", history, PlotHistory.GRAD_NORM);
        written.add(save(List.of(loss, grad), plotsDir.resolve("loss.png")));

        XYChart lr = chart("Learning rate", "lr");
        lr.getStyler().setYAxisDecimalPattern("0.00E0");
        add(lr, "lr", history, PlotHistory.LR);
        XYChart wd = chart("Weight decay", "wd");
        add(wd, "wd", history, PlotHistory.WD);
        wd.getStyler().setYAxisDecimalPattern("0.0###");
        XYChart m = chart("EMA momentum", "momentum");
        m.getStyler().setYAxisDecimalPattern("0.00000");
        add(m, "momentum", history, PlotHistory.MOMENTUM);
        written.add(save(List.of(lr, wd, m), plotsDir.resolve("schedules.png")));

        if (history.hasCollapse()) {
            XYChart std = chart("Pooled feature std per dimension", "std");
            add(std, "mean over dims", history, PlotHistory.STD_MEAN);
            add(std, "min over dims", history, PlotHistory.STD_MIN);
            XYChart rank = chart("RankMe effective rank", "rank");
            add(rank, "RankMe", history, PlotHistory.RANKME);
            written.add(save(List.of(std, rank), plotsDir.resolve("collapse.png")));
        }
        return written;
    }

    /**
     * Draws every chart the history has data for, as {@link #write(PlotHistory, Path)}, but only logs a warning
     * when that fails: a training run goes on without its plots.
     *
     * @param history the run's metrics in bounded memory
     * @param plotsDir destination folder (created if missing)
     */
    public static void writeOrWarn(PlotHistory history, Path plotsDir) {
        try {
            write(history, plotsDir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not draw the plots: {}", e.toString());
        }
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

    /** Adds the kept (finite) points of one series; series without any are skipped. */
    private static void add(XYChart chart, String name, PlotHistory history, String key) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        history.points(key, xs, ys);
        if (xs.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(xs.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }

    private static Path save(List<XYChart> charts, Path file) throws IOException {
        List<XYChart> nonEmpty = charts.stream().filter(c -> !c.getSeriesMap().isEmpty()).toList();
        if (nonEmpty.isEmpty()) {
            return file;
        }
        AtomicFiles.write(file, ch -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch)); // not closed: owns no resource
            BitmapEncoder.saveBitmap(nonEmpty, nonEmpty.size(), 1, out, BitmapEncoder.BitmapFormat.PNG);
            out.flush();
        });
        return file;
    }
}
