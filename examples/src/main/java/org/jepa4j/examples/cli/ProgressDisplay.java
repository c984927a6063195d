package org.jepa4j.examples.cli;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jepa4j.train.features.ProgressListener;

/**
 * A console progress bar on standard error for extraction and probe runs; silent when the process has no terminal
 * (CI, redirected output, tests), where the log lines carry the progress instead.
 */
final class ProgressDisplay implements ProgressListener, AutoCloseable {

    private final ProgressBar bar;

    /**
     * Creates the bar.
     *
     * @param task name shown before the bar
     * @param total units of work
     */
    ProgressDisplay(String task, long total) {
        if (System.console() == null) {
            bar = null;
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .startsFrom(0, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(300)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, 120))
                .build();
    }

    @Override
    public void onProgress(long done, long total, int bad) {
        if (bar != null) {
            bar.maxHint(total);
            bar.stepTo(done);
            if (bad > 0) {
                bar.setExtraMessage(" " + bad + " unreadable");
            }
        }
    }

    /**
     * Moves the bar and shows a message.
     *
     * @param done units done
     * @param message extra text after the bar
     */
    void step(long done, String message) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
