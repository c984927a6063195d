package org.jepa4j.train.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link TrainingPlots} draws, kept in bounded memory however long the run: each plotted column (loss, the
 * per-mask-set losses, grad norm, lr, wd, momentum and the collapse statistics) is a series of (step, value) points
 * with its non-finite values left out, decimated once it passes {@code 2 * bucketsPerSeries} points (each of at most
 * {@code bucketsPerSeries} runs of consecutive points keeps its first, last, lowest and highest point, so the drawn
 * lines keep their extremes and their first and last step; at most {@code 4 * bucketsPerSeries} points a series).
 * Shorter runs keep every point and plot as before. The per-part loss lines are labelled "mask set i" unless the
 * caller names the parts (e.g. "teacher forcing", "rollout" of a world-model run).
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

    private static final Logger LOG = LoggerFactory.getLogger(PlotHistory.class);

    private final int buckets;
    private final List<String> lossPartLabels;
    private final Map<String, DecimatedSeries> series = new LinkedHashMap<>();
    private long rows;
    private int maskSets;
    private boolean collapse;

    /** An empty history with {@link #DEFAULT_BUCKETS} buckets per series. */
    public PlotHistory() {
        this(DEFAULT_BUCKETS);
    }

    /**
     * An empty history with {@link #DEFAULT_BUCKETS} buckets per series whose per-part loss lines have the given
     * legend labels.
     *
     * @param lossPartLabels legend label of each per-part loss, in order (parts beyond the list are labelled
     *     "mask set i")
     */
    public PlotHistory(List<String> lossPartLabels) {
        this(DEFAULT_BUCKETS, lossPartLabels);
    }

    /**
     * An empty history.
     *
     * @param bucketsPerSeries decimation buckets per series (even, at least 2); a series keeps at most four times
     *     as many points
     */
    public PlotHistory(int bucketsPerSeries) {
        this(bucketsPerSeries, List.of());
    }

    /**
     * An empty history whose per-part loss lines have the given legend labels.
     *
     * @param bucketsPerSeries decimation buckets per series (even, at least 2); a series keeps at most four times
     *     as many points
     * @param lossPartLabels legend label of each per-part loss, in order (parts beyond the list are labelled
     *     "mask set i")
     */
    public PlotHistory(int bucketsPerSeries, List<String> lossPartLabels) {
        if (bucketsPerSeries < 2 || bucketsPerSeries % 2 != 0) {
            throw new IllegalArgumentException("bucketsPerSeries must be even and >= 2, got " + bucketsPerSeries);
        }
        this.buckets = bucketsPerSeries;
        this.lossPartLabels = List.copyOf(lossPartLabels);
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
     * Adds the rows already in a metrics file (a resumed run plots its earlier steps too); a file that cannot be
     * read only logs a warning, the rows read before the fault stay added.
     *
     * @param metricsFile a file written by {@link MetricsLog}
     */
    public void addRowsOf(Path metricsFile) {
        try {
            MetricsLog.forEach(metricsFile, this::add);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not read {} for the plots: {}", metricsFile, e.toString());
        }
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
     * The legend label of a per-part loss: the caller's name for it, or "mask set i".
     *
     * @param i the part's index
     * @return its label
     */
    public String lossPartLabel(int i) {
        return i < lossPartLabels.size() ? lossPartLabels.get(i) : "mask set " + i;
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
