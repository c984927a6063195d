package org.jepa4j.train.metrics;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Console progress bar of a training run: step / total, elapsed and ETA, plus loss and clips/s. Silent
 * (every method a no-op) when disabled or when the process has no terminal ({@code System.console()} is
 * null, e.g. under CI or with output redirected).
 */
public final class ConsoleProgress implements AutoCloseable {

    private final ProgressBar bar;

    /**
     * Creates the bar on standard error, if enabled and attached to a terminal.
     *
     * @param task name shown before the bar
     * @param totalSteps steps of the whole run
     * @param startStep steps already done (when resuming)
     * @param enabled the configuration's {@code logging.progress_bar}
     */
    public ConsoleProgress(String task, long totalSteps, long startStep, boolean enabled) {
        this(task, totalSteps, startStep, enabled && System.console() != null ? System.err : null);
    }

    /**
     * Creates a bar printing to {@code out}, or a silent one when {@code out} is null.
     *
     * @param task name shown before the bar
     * @param totalSteps steps of the whole run
     * @param startStep steps already done (when resuming)
     * @param out destination, or null for silence
     */
    public ConsoleProgress(String task, long totalSteps, long startStep, PrintStream out) {
        if (out == null) {
            bar = null;
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalSteps)
                .startsFrom(startStep, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(out, 120))
                .build();
    }

    /**
     * Whether anything is shown.
     *
     * @return whether anything is shown
     */
    public boolean isActive() {
        return bar != null;
    }

    /**
     * Moves the bar to a step and shows the latest loss and throughput.
     *
     * @param step steps done
     * @param loss latest loss
     * @param clipsPerSec latest throughput
     */
    public void update(long step, double loss, double clipsPerSec) {
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(" loss %.4f | %.1f clips/s", loss, clipsPerSec));
        }
    }

    /**
     * Moves the bar to a step and shows a message of the caller's (for work other than training steps, e.g.
     * "12 encoded, 3 cached | 85.0 frames/s").
     *
     * @param step units done
     * @param message shown after the bar
     */
    public void update(long step, String message) {
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(" " + message);
        }
    }

    /** Finishes the bar (prints its final state). */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
