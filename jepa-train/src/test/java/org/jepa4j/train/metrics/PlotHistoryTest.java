package org.jepa4j.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotHistoryTest {

    @TempDir
    Path dir;

    /** A row whose loss spikes to 50 at step 54321 and dips to -50 at step 77777. */
    private static StepMetrics row(long step) {
        StepMetrics m = MetricsAndPlotsTest.row(step);
        double loss = step == 54_321 ? 50 : step == 77_777 ? -50 : m.loss();
        return new StepMetrics(m.step(), m.epoch(), loss, m.lossPerMaskSet(), m.lr(), m.wd(), m.momentum(),
                m.gradNorm(), m.lossScale(), m.overflowSteps(), m.stepTimeMs(), m.dataTimeMs(), m.clipsPerSec(),
                m.featureStdMean(), m.featureStdMin(), m.rankMe());
    }

    @Test
    void aLongRunKeepsABoundedHistoryThatSpansTheRunAndKeepsItsExtremes() throws IOException {
        PlotHistory h = new PlotHistory();
        int series = 11; // loss, 2 mask sets, grad norm, lr, wd, momentum, std mean, std min, rankme
        long bound = (long) series * 4 * PlotHistory.DEFAULT_BUCKETS;
        for (long s = 1; s <= 100_000; s++) {
            h.add(row(s));
        }
        assertEquals(100_000, h.rows());
        long retained = h.retainedPoints();
        assertTrue(retained <= bound, "retained " + retained + " points, bound " + bound); // all: 8 * 100k + 3 * 4k

        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        h.points(PlotHistory.LOSS, xs, ys);
        assertTrue(xs.size() <= 4 * PlotHistory.DEFAULT_BUCKETS && xs.size() > PlotHistory.DEFAULT_BUCKETS,
                "loss points " + xs.size());
        assertEquals(1.0, xs.get(0), "the plot starts at the first step");
        assertEquals(100_000.0, xs.get(xs.size() - 1), "the plot ends at the last step");
        for (int i = 1; i < xs.size(); i++) {
            assertTrue(xs.get(i) > xs.get(i - 1), "steps increase at " + i);
        }
        assertTrue(ys.contains(50.0) && xs.contains(54_321.0), "the spike is kept");
        assertTrue(ys.contains(-50.0) && xs.contains(77_777.0), "the dip is kept");

        List<Double> rx = new ArrayList<>();
        h.points(PlotHistory.RANKME, rx, new ArrayList<>());
        assertEquals(25.0, rx.get(0), "collapse statistics start at their first measured step");
        assertEquals(100_000.0, rx.get(rx.size() - 1));

        List<Path> files = TrainingPlots.write(h, dir.resolve("plots"));
        assertEquals(List.of("loss.png", "schedules.png", "collapse.png"),
                files.stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aShortRunKeepsEveryPoint() {
        int n = 2 * PlotHistory.DEFAULT_BUCKETS; // the longest run kept whole
        List<StepMetrics> rows = new ArrayList<>();
        for (long s = 1; s <= n; s++) {
            rows.add(row(s));
        }
        PlotHistory h = PlotHistory.of(rows);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        h.points(PlotHistory.maskSetKey(1), xs, ys);
        assertEquals(n, xs.size());
        for (int i = 0; i < n; i++) {
            assertEquals(rows.get(i).step(), xs.get(i).longValue());
            assertEquals(rows.get(i).lossPerMaskSet().get(1), ys.get(i));
        }
        List<Double> rx = new ArrayList<>();
        List<Double> ry = new ArrayList<>();
        h.points(PlotHistory.RANKME, rx, ry);
        assertEquals(rows.stream().filter(StepMetrics::hasCollapse).map(r -> (double) r.step()).toList(), rx,
                "only the measured (finite) values");
        assertEquals(2, h.maskSets());
        assertTrue(h.hasCollapse());
    }

    @Test
    void eachBucketKeepsItsFirstLastLowestAndHighestPoint() {
        Random rnd = new Random(7);
        int n = 10_000;
        double[] y = new double[n];
        DecimatedSeries s = new DecimatedSeries(8);
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextGaussian();
            s.add(i, y[i]);
        }
        assertEquals(n, s.added());
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        s.points(xs, ys);
        assertTrue(xs.size() <= 32, "kept " + xs.size());
        // n = 10000 points in 8 buckets: the width doubled from 1 to 2048; the first 4 buckets are full, the 5th holds
        // the remaining 1808 points. Every bucket's extremes, first and last points are kept.
        int width = 2048;
        for (int start = 0; start < n; start += width) {
            int end = Math.min(n, start + width);
            int lo = start;
            int hi = start;
            for (int i = start; i < end; i++) {
                lo = y[i] < y[lo] ? i : lo;
                hi = y[i] > y[hi] ? i : hi;
            }
            for (int i : new int[] {start, end - 1, lo, hi}) {
                int at = xs.indexOf((double) i);
                assertTrue(at >= 0, "point " + i + " of bucket at " + start + " kept");
                assertEquals(y[i], ys.get(at));
            }
        }
        for (int i = 0; i < xs.size(); i++) {
            assertEquals(y[xs.get(i).intValue()], ys.get(i), "values stay with their steps");
        }
    }
}
