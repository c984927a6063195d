package org.jepa4j.train;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGINT/SIGTERM handling for command-line runs: the first signal asks the trainer to stop after the current step
 * (checkpoint, normal return); a second one exits at once. Uses {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}); where it is unavailable, a shutdown hook requests the stop instead, which still finishes
 * the step if the JVM gives the hook the time.
 */
public final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    static void install(Trainer trainer) {
        install(trainer::requestStop);
    }

    /**
     * Makes SIGINT and SIGTERM call {@code requestStop} (once; a second signal exits at once with status 130), for
     * command-line entry points of other trainers.
     *
     * @param requestStop asks the run to stop after its current step
     */
    public static void install(Runnable requestStop) {
        AtomicInteger count = new AtomicInteger();
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    if (count.incrementAndGet() == 1) {
                        LOG.warn("SIG{} received: finishing the current step, writing a checkpoint, then stopping "
                                + "(send it again to exit at once)", sig.getName());
                        requestStop.run();
                    } else {
                        LOG.warn("SIG{} received again: exiting without a checkpoint", sig.getName());
                        Runtime.getRuntime().halt(130);
                    }
                });
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warn("Cannot install signal handlers ({}); using a shutdown hook", e.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(requestStop, "jepa4j-stop"));
        }
    }
}
