package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code logging} section: run folder, log cadence, metrics file, plots and collapse diagnostics.
 *
 * @param folder run directory (resolved config, checkpoints/, metrics, plots/)
 * @param writeTag name prefix of the run's files
 * @param logFreq log a line every this many steps
 * @param progressBar show a console progress bar (only when attached to a terminal)
 * @param metricsFormat {@code csv} or {@code jsonl}
 * @param plotFreq redraw the PNG plots every this many steps (0: only at checkpoints and the end)
 * @param collapseFreq compute collapse diagnostics on a fixed batch every this many steps (0: off)
 * @param collapseStdMin WARN when the mean per-dimension std of pooled features falls below this
 * @param collapseRankMeMin WARN when the RankMe effective rank falls below this
 */
public record LoggingConfig(
        String folder,
        String writeTag,
        int logFreq,
        boolean progressBar,
        String metricsFormat,
        int plotFreq,
        int collapseFreq,
        double collapseStdMin,
        double collapseRankMeMin) {

    static final String S = "logging";

    /** Validates every field; messages name the key path and the value. */
    public LoggingConfig {
        if (folder == null || folder.isBlank()) {
            throw new ConfigException(S + ".folder", "must be a directory path, got '" + folder + "'");
        }
        if (writeTag == null || !writeTag.matches("[A-Za-z0-9_.-]+")) {
            throw new ConfigException(S + ".write_tag", "must be letters, digits, '_', '-' or '.', got '" + writeTag + "'");
        }
        Checks.positive(S + ".log_freq", logFreq);
        Checks.oneOf(S + ".metrics_format", metricsFormat, List.of("csv", "jsonl"));
        Checks.nonNegative(S + ".plot_freq", plotFreq);
        Checks.nonNegative(S + ".collapse_freq", collapseFreq);
        Checks.nonNegative(S + ".collapse_std_min", collapseStdMin);
        Checks.nonNegative(S + ".collapse_rankme_min", collapseRankMeMin);
    }

    /**
     * Defaults: folder runs/jepa, log every 10 steps, CSV metrics, collapse check every 100 steps.
     *
     * @return defaults: folder runs/jepa, log every 10 steps, CSV metrics, collapse check every 100 steps
     */
    public static LoggingConfig defaults() {
        return new LoggingConfig("runs/jepa", "jepa", 10, true, "csv", 0, 100, 1e-3, 2.0);
    }

    static LoggingConfig from(YamlSection y) {
        LoggingConfig d = defaults();
        LoggingConfig out = new LoggingConfig(
                y.string("folder", d.folder),
                y.string("write_tag", d.writeTag),
                y.integer("log_freq", d.logFreq),
                y.bool("progress_bar", d.progressBar),
                y.string("metrics_format", d.metricsFormat),
                y.integer("plot_freq", d.plotFreq),
                y.integer("collapse_freq", d.collapseFreq),
                y.number("collapse_std_min", d.collapseStdMin),
                y.number("collapse_rankme_min", d.collapseRankMeMin));
        y.finish();
        return out;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("folder", folder);
        m.put("write_tag", writeTag);
        m.put("log_freq", logFreq);
        m.put("progress_bar", progressBar);
        m.put("metrics_format", metricsFormat);
        m.put("plot_freq", plotFreq);
        m.put("collapse_freq", collapseFreq);
        m.put("collapse_std_min", collapseStdMin);
        m.put("collapse_rankme_min", collapseRankMeMin);
        return m;
    }
}
