package org.jepa4j.train.physics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jepa4j.core.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes surprise curves: one CSV per video (window start, window end, surprise per context length, minimum) and,
 * for a pair, one PNG with the possible and impossible curves and the first differing frame marked. A window is
 * plotted at its last frame, so a curve rises when its windows first contain the violation.
 */
public final class SurpriseCurves {

    private SurpriseCurves() {}

    /**
     * Writes a video's curve as CSV.
     *
     * @param file destination
     * @param surprise the curve
     * @param contexts context lengths (column names)
     * @throws IOException if the file cannot be written
     */
    public static void writeCsv(Path file, VideoSurprise surprise, List<Integer> contexts) throws IOException {
        StringBuilder sb = new StringBuilder("window_start,window_end");
        for (int c : contexts) {
            sb.append(",surprise_c").append(c);
        }
        sb.append(",surprise\n");
        for (WindowSurprise w : surprise.windows()) {
            sb.append(w.start()).append(',').append(w.start() + surprise.windowFrames() - 1);
            for (double v : w.byContext()) {
                sb.append(',').append(String.format(Locale.ROOT, "%.6f", v));
            }
            sb.append(',').append(String.format(Locale.ROOT, "%.6f", w.value())).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * Plots a pair's two curves with the first differing frame marked.
     *
     * @param file destination PNG
     * @param title chart title
     * @param possible the possible video's curve
     * @param impossible the impossible video's curve
     * @param firstDifference first differing frame, or negative for none
     * @throws IOException if the file cannot be written
     */
    public static void plotPair(Path file, String title, VideoSurprise possible, VideoSurprise impossible,
            int firstDifference) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(400).title(title)
                .xAxisTitle("last frame of window").yAxisTitle("surprise (L1)").build();
        chart.getStyler().setMarkerSize(4);
        add(chart, "possible", possible, new Color(40, 120, 200));
        add(chart, "impossible", impossible, new Color(210, 60, 40));
        if (firstDifference >= 0) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (VideoSurprise v : List.of(possible, impossible)) {
                for (WindowSurprise w : v.windows()) {
                    lo = Math.min(lo, w.value());
                    hi = Math.max(hi, w.value());
                }
            }
            XYSeries mark = chart.addSeries("first differing frame (" + firstDifference + ")",
                    new double[] {firstDifference, firstDifference}, new double[] {lo, hi});
            mark.setMarker(SeriesMarkers.NONE);
            mark.setLineColor(Color.GRAY);
            mark.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp.png");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Plots one video's curve.
     *
     * @param file destination PNG
     * @param title chart title
     * @param surprise the curve
     * @throws IOException if the file cannot be written
     */
    public static void plotVideo(Path file, String title, VideoSurprise surprise) throws IOException {
        XYChart chart = new XYChartBuilder().width(720).height(400).title(title)
                .xAxisTitle("last frame of window").yAxisTitle("surprise (L1)").build();
        add(chart, "surprise", surprise, new Color(40, 120, 200));
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(XYChart chart, String name, VideoSurprise v, Color color) {
        int n = v.windows().size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            WindowSurprise w = v.windows().get(i);
            x[i] = w.start() + v.windowFrames() - 1;
            y[i] = w.value();
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
    }
}
