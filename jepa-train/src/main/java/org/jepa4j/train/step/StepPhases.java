package org.jepa4j.train.step;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall time and process CPU time (all threads) of each phase of {@link JepaStep} steps, accumulated over the steps it is passed to (the benchmark's
 * per-phase split). The phases are those of the reference step's timers, in step order: {@link #TARGET} (target
 * forward and its layer norm), {@link #ENCODER} (context encoder forward, all mask sets), {@link #PREDICTOR}
 * (predictor forward, all mask sets), {@link #LOSS} (target gathers and loss), {@link #BACKWARD},
 * {@link #CLIP_ADAMW} (gradient zeroing, norms, clipping and AdamW) and {@link #EMA} (target update).
 *
 * <p>On a GPU the marks do not wait for queued kernels, so there the split shows launch time, not device time.
 * Not thread-safe: one instance per step loop (the replica threads of a data-parallel step do not mark).
 */
public final class StepPhases {

    /** Target encoder forward and layer norm. */
    public static final String TARGET = "target";
    /** Context encoder forward of every mask set. */
    public static final String ENCODER = "encoder";
    /** Predictor forward of every mask set. */
    public static final String PREDICTOR = "predictor";
    /** Target gathers and loss. */
    public static final String LOSS = "loss";
    /** Backward pass. */
    public static final String BACKWARD = "backward";
    /** Gradient zeroing, norms, clipping and the AdamW update. */
    public static final String CLIP_ADAMW = "clip_adamw";
    /** EMA update of the target encoder. */
    public static final String EMA = "ema";
    /** All phases in step order. */
    public static final List<String> ALL = List.of(TARGET, ENCODER, PREDICTOR, LOSS, BACKWARD, CLIP_ADAMW, EMA);

    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final Map<String, Double> cpuSeconds = new LinkedHashMap<>();
    private long last;
    private double lastCpu;
    private int steps;

    /** An empty split. */
    public StepPhases() {
        for (String p : ALL) {
            seconds.put(p, 0.0);
            cpuSeconds.put(p, 0.0);
        }
    }

    /** Starts the clock of a step (called by {@link JepaStep} at the start of a step). */
    void start() {
        steps++;
        last = System.nanoTime();
        lastCpu = processCpuSeconds();
    }

    /**
     * Adds the time since the previous mark (or the start) to a phase.
     *
     * @param phase one of {@link #ALL}
     */
    void mark(String phase) {
        long now = System.nanoTime();
        double cpu = processCpuSeconds();
        seconds.merge(phase, (now - last) / 1e9, Double::sum);
        cpuSeconds.merge(phase, cpu - lastCpu, Double::sum);
        last = now;
        lastCpu = cpu;
    }

    /**
     * Marks a phase of {@code phases}, or does nothing when it is null (a step that is not timed).
     *
     * @param phases the split to add to, or null
     * @param phase one of {@link #ALL}
     */
    static void mark(StepPhases phases, String phase) {
        if (phases != null) {
            phases.mark(phase);
        }
    }

    /**
     * CPU time of this process, all threads (NaN where the JVM does not report it): on a machine shared with other
     * work it varies far less than wall time.
     *
     * @return seconds
     */
    public static double processCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** @return steps timed so far */
    public int steps() {
        return steps;
    }

    /** @return mean seconds per step of each phase, in step order (zeros before the first step) */
    public Map<String, Double> meanSeconds() {
        return mean(seconds);
    }

    /** @return mean process CPU seconds per step of each phase, in step order */
    public Map<String, Double> meanCpuSeconds() {
        return mean(cpuSeconds);
    }

    private Map<String, Double> mean(Map<String, Double> sums) {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, v) -> out.put(k, steps == 0 ? 0.0 : v / steps));
        return Collections.unmodifiableMap(out);
    }
}
