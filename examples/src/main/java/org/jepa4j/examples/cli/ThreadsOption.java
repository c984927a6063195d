package org.jepa4j.examples.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --threads N} option shared by the commands that compute: PyTorch's intra-op thread count (DJL's
 * {@value #PROPERTY} system property). It takes effect only if set before the engine starts, i.e. as the
 * process's first engine use, which is the case for every command line run.
 *
 * <p>Small models (the tiny presets, probes on small features) run as fast or faster with one thread, and several
 * threads stall badly when other processes keep the cores busy (measured here with two cores shared: an attentive
 * probe took 25 s with one thread against 3 min 55 s with two).
 */
final class ThreadsOption {

    /** DJL's system property of the PyTorch intra-op thread count. */
    static final String PROPERTY = "ai.djl.pytorch.num_threads";

    @Option(names = "--threads", paramLabel = "N",
            description = "PyTorch intra-op threads (default: the engine's, i.e. the cores; 1 is best for tiny "
                    + "models and busy machines).")
    Integer threads;

    /**
     * Sets the thread count when {@code --threads} was given.
     *
     * @param cli the command, for the usage error
     * @throws picocli.CommandLine.ParameterException (exit 2) if the value is below 1
     */
    void apply(picocli.CommandLine cli) {
        if (threads == null) {
            return;
        }
        if (threads < 1) {
            throw new picocli.CommandLine.ParameterException(cli, "--threads must be >= 1");
        }
        set(threads);
    }

    /** Sets the intra-op (and inter-op: 1) thread count for an engine not yet started. */
    static void set(int n) {
        System.setProperty(PROPERTY, Integer.toString(n));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    /**
     * Sets the intra-op thread count of the running engine, for the calling thread and for the threads that make
     * their first PyTorch call later (PyTorch keeps the count per thread, initialized from a global value).
     *
     * @param n threads, at least 1
     */
    static void setForThisAndNewThreads(int n) {
        ai.djl.pytorch.jni.JniUtils.setNumThreads(n);
    }

    /** Whether the user chose a thread count (property or {@code OMP_NUM_THREADS}). */
    static boolean chosen() {
        return System.getProperty(PROPERTY) != null || System.getenv("OMP_NUM_THREADS") != null;
    }
}
