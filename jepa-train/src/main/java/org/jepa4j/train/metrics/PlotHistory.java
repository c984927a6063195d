package org.jepa4j.train.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link TrainingPlots} draws, kept in bounded memory however long the run: each plotted column (loss, the
 * per-mask-set losses, grad norm, lr, wd, momentum and the collapse statistics) is a series of (step, value) points
 * with its non-finite values left out, decimated once it passes {@code 2 * bucketsPerSeries} points (each of at most
 * {@code bucketsPerSeries} runs of consecutive points keeps its first, last, lowest and highest point, so the drawn
 * lines keep their extremes and their first and last step; at most {@code 4 * bucketsPerSeries} points a series).
 * Shorter runs keep every point and plot as before.
 *
 * <p>Not thread-safe: fed by the training loop that appends the rows to the {@link MetricsLog}.
 */
public final class PlotHistory {

    /** Buckets per series by default: every point is kept up to 4096 steps, and at most 8192 points per series. */
    public static final int DEFAULT_BUCKETS = 2048;

    /** Series keys: the metrics file's column names. */
    static final String LOSS = "loss";
    static final String GRAD_NORM = "grad_norm";
    static final String LR = "lr";
    static final String WD = "wd";
    static final String MOMENTUM = "momentum";
    static final String STD_MEAN = "feat_std_mean";
    static final String STD_MIN = "feat_std_min";
    static final String RANKME = "rankme";

    private final int buckets;
    private final Map<String, DecimatedSeries> series = new LinkedHashMap<>();
    private long rows;
    private int maskSets;
    private boolean collapse;

    /** An empty history with {@link #DEFAULT_BUCKETS} buckets per series. */
    public PlotHistory() {
        this(DEFAULT_BUCKETS);
    }

    /**
     * An empty history.
     *
     * @param bucketsPerSeries decimation buckets per series (even, at least 2); a series keeps at most four times
     *     as many points
     */
    public PlotHistory(int bucketsPerSeries) {
        if (bucketsPerSeries < 2 || bucketsPerSeries % 2 != 0) {
            throw new IllegalArgumentException("bucketsPerSeries must be even and >= 2, got " + bucketsPerSeries);
        }
        this.buckets = bucketsPerSeries;
    }

    /**
     * A history of the given rows.
     *
     * @param rows metrics in step order
     * @return a history with {@link #DEFAULT_BUCKETS} buckets per series holding them
     */
    public static PlotHistory of(List<StepMetrics> rows) {
        PlotHistory h = new PlotHistory();
        rows.forEach(h::add);
        return h;
    }

    /**
     * Adds one step's metrics; steps come in increasing order.
     *
     * @param m the step's metrics
     */
    public void add(StepMetrics m) {
        long x = m.step();
        put(LOSS, x, m.loss());
        List<Double> perSet = m.lossPerMaskSet();
        for (int i = 0; i < perSet.size(); i++) {
            put(maskSetKey(i), x, perSet.get(i));
        }
        put(GRAD_NORM, x, m.gradNorm());
        put(LR, x, m.lr());
        put(WD, x, m.wd());
        put(MOMENTUM, x, m.momentum());
        put(STD_MEAN, x, m.featureStdMean());
        put(STD_MIN, x, m.featureStdMin());
        put(RANKME, x, m.rankMe());
        maskSets = perSet.size();
        collapse |= m.hasCollapse();
        rows++;
    }

    /**
     * Rows added.
     *
     * @return rows added
     */
    public long rows() {
        return rows;
    }

    /**
     * Per-mask-set losses of the last row added (0 before the first).
     *
     * @return per-mask-set losses of the last row added (0 before the first)
     */
    public int maskSets() {
        return maskSets;
    }

    /**
     * True when some row had collapse statistics.
     *
     * @return true when some row had collapse statistics
     */
    public boolean hasCollapse() {
        return collapse;
    }

    /**
     * Points kept over all series: bounded by {@code 4 * bucketsPerSeries} per series, whatever {@link #rows()}.
     *
     * @return points kept over all series: bounded by {@code 4 * bucketsPerSeries} per series, whatever {@link #rows()}
     */
    public long retainedPoints() {
        return series.values().stream().mapToLong(DecimatedSeries::retained).sum();
    }

    /**
     * The kept points of one series in step order (none when it never had a finite value).
     *
     * @param key a column name, e.g. {@link #LOSS} or {@link #maskSetKey(int)}
     * @param xs receives the steps
     * @param ys receives the values
     */
    void points(String key, List<Double> xs, List<Double> ys) {
        DecimatedSeries s = series.get(key);
        if (s != null) {
            s.points(xs, ys);
        }
    }

    /** Key of mask set i's loss series. */
    static String maskSetKey(int i) {
        return "loss_set" + i;
    }

    private void put(String key, long step, double y) {
        if (Double.isFinite(y)) {
            series.computeIfAbsent(key, k -> new DecimatedSeries(buckets)).add(step, y);
        }
    }
}
