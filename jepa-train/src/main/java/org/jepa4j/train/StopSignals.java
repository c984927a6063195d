package org.jepa4j.train;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGINT/SIGTERM handling for command-line runs: the first signal calls a stop callback (the trainer's
 * {@code requestStop}: stop after the current step, checkpoint, normal return); a second one exits at once. Uses {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}); where it is unavailable, a shutdown hook requests the stop instead, which still finishes
 * the step if the JVM gives the hook the time.
 */
public final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    /**
     * Routes SIGINT and SIGTERM to {@code onStop} (first signal) and an immediate exit with status 130 (second).
     *
     * @param onStop called once, from the signal thread, on the first signal
     */
    public static void install(Runnable onStop) {
        AtomicInteger count = new AtomicInteger();
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    if (count.incrementAndGet() == 1) {
                        LOG.warn("SIG{} received: finishing the current step, writing a checkpoint, then stopping "
                                + "(send it again to exit at once)", sig.getName());
                        onStop.run();
                    } else {
                        LOG.warn("SIG{} received again: exiting without a checkpoint", sig.getName());
                        Runtime.getRuntime().halt(130);
                    }
                });
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warn("Cannot install signal handlers ({}); using a shutdown hook", e.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(onStop, "jepa4j-stop"));
        }
    }
}
