/**
 * Observability of a training run: per-step {@link org.jepa4j.train.metrics.MetricsLog} (CSV or JSON lines),
 * a console {@link org.jepa4j.train.metrics.ConsoleProgress} bar, PNG {@link org.jepa4j.train.metrics.TrainingPlots}
 * drawn from a bounded {@link org.jepa4j.train.metrics.PlotHistory}, and
 * {@link org.jepa4j.train.metrics.CollapseDiagnostics} (per-dimension feature std and RankMe).
 */
package org.jepa4j.train.metrics;
