package org.jepa4j.train.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything of a run's progress besides tensors, stored as JSON in each checkpoint.
 *
 * @param step optimizer steps completed
 * @param epoch current epoch (0-based)
 * @param iterationInEpoch steps completed within {@code epoch}
 * @param schedules schedule step counters (see {@code TrainingSchedules.state()})
 * @param rng named RNG states ({@link RngState#capture}), e.g. {@code masks}, {@code data}
 * @param nanStreak non-finite losses in a row at the time of the checkpoint
 * @param nanTotal non-finite losses skipped so far
 * @param lossScale loss scale of mixed precision, or null
 * @param extra any other strings the trainer wants back on resume
 */
public record TrainingState(
        long step,
        int epoch,
        long iterationInEpoch,
        Map<String, Long> schedules,
        Map<String, String> rng,
        int nanStreak,
        long nanTotal,
        Double lossScale,
        Map<String, String> extra) {

    /** Validates and copies the maps (in order). */
    public TrainingState {
        if (step < 0 || epoch < 0 || iterationInEpoch < 0 || nanStreak < 0 || nanTotal < 0) {
            throw new IllegalArgumentException("training state counters must be >= 0: step " + step + ", epoch "
                    + epoch + ", iteration " + iterationInEpoch + ", nan streak " + nanStreak + ", nan total "
                    + nanTotal);
        }
        schedules = schedules == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
        rng = copy(rng);
        extra = copy(extra);
    }

    private static Map<String, String> copy(Map<String, String> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
