package org.jepa4j.train.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * One plotted series held in bounded memory: consecutive points are grouped into at most {@code capacity} buckets of
 * equal point count, and each bucket keeps its first, last, lowest and highest point (M4 decimation: a line drawn
 * through those four points per bucket looks like the line through all of them). While the series has at most
 * {@code 2 * capacity} points every point is kept; beyond that, when the buckets are full, neighbouring buckets are
 * merged pairwise (the bucket width doubles), so memory stays at {@code 8 * capacity} doubles however long the run.
 * The first and the last point added are always kept.
 */
final class DecimatedSeries {

    private final int capacity;
    private long width = 1; // points per bucket (all buckets but the last are full)
    private long inLast; // points in the last bucket
    private int count; // buckets in use
    private long added; // points added in total

    // per bucket: the first, last, lowest and highest point, as (x, y)
    private final double[] firstX;
    private final double[] firstY;
    private final double[] lastX;
    private final double[] lastY;
    private final double[] minX;
    private final double[] minY;
    private final double[] maxX;
    private final double[] maxY;

    /**
     * Creates an empty series.
     *
     * @param capacity the most buckets kept; even and at least 2
     */
    DecimatedSeries(int capacity) {
        if (capacity < 2 || capacity % 2 != 0) {
            throw new IllegalArgumentException("capacity must be even and >= 2, got " + capacity);
        }
        this.capacity = capacity;
        firstX = new double[capacity];
        firstY = new double[capacity];
        lastX = new double[capacity];
        lastY = new double[capacity];
        minX = new double[capacity];
        minY = new double[capacity];
        maxX = new double[capacity];
        maxY = new double[capacity];
    }

    /** Adds a point; points come in increasing x. */
    void add(double x, double y) {
        added++;
        if (count > 0 && inLast < width) {
            int b = count - 1;
            lastX[b] = x;
            lastY[b] = y;
            if (y < minY[b]) {
                minX[b] = x;
                minY[b] = y;
            }
            if (y > maxY[b]) {
                maxX[b] = x;
                maxY[b] = y;
            }
            inLast++;
            return;
        }
        if (count == capacity) {
            halve();
        }
        int b = count++;
        firstX[b] = lastX[b] = minX[b] = maxX[b] = x;
        firstY[b] = lastY[b] = minY[b] = maxY[b] = y;
        inLast = 1;
    }

    /** Merges buckets 2i and 2i+1 into bucket i; called when all buckets are full. */
    private void halve() {
        for (int i = 0; i < capacity / 2; i++) {
            int a = 2 * i;
            int b = a + 1;
            firstX[i] = firstX[a];
            firstY[i] = firstY[a];
            lastX[i] = lastX[b];
            lastY[i] = lastY[b];
            boolean lowA = minY[a] <= minY[b];
            minX[i] = lowA ? minX[a] : minX[b];
            minY[i] = lowA ? minY[a] : minY[b];
            boolean highA = maxY[a] >= maxY[b];
            maxX[i] = highA ? maxX[a] : maxX[b];
            maxY[i] = highA ? maxY[a] : maxY[b];
        }
        count = capacity / 2;
        width *= 2;
        inLast = width;
    }

    /** Points added in total. */
    long added() {
        return added;
    }

    /** Points currently kept (at most {@code 4 * capacity}). */
    int retained() {
        int n = 0;
        for (int b = 0; b < count; b++) {
            n += bucketPoints(b, null, null);
        }
        return n;
    }

    /**
     * The kept points in x order.
     *
     * @param xs receives the x values
     * @param ys receives the y values
     */
    void points(List<Double> xs, List<Double> ys) {
        for (int b = 0; b < count; b++) {
            bucketPoints(b, xs, ys);
        }
    }

    /** The distinct points of bucket b in x order, appended to xs and ys when given; returns their number. */
    private int bucketPoints(int b, List<Double> xs, List<Double> ys) {
        double[][] p = {{firstX[b], firstY[b]}, {minX[b], minY[b]}, {maxX[b], maxY[b]}, {lastX[b], lastY[b]}};
        Arrays.sort(p, (u, v) -> Double.compare(u[0], v[0]));
        int n = 0;
        for (int i = 0; i < p.length; i++) {
            if (i > 0 && p[i][0] == p[i - 1][0]) {
                continue; // the same point (x is the step, unique within a series)
            }
            if (xs != null) {
                xs.add(p[i][0]);
                ys.add(p[i][1]);
            }
            n++;
        }
        return n;
    }
}
