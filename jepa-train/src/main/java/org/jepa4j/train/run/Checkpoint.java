package org.jepa4j.train.run;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.Map;

/**
 * A loaded checkpoint: its directory, the training state and the named tensor groups (e.g. {@code encoder},
 * {@code target_encoder}, {@code predictor}, {@code optimizer}). The arrays belong to the manager given to
 * the loader; {@link #close()} frees them.
 *
 * @param dir the checkpoint directory
 * @param state step, epoch, schedules, RNG states, ...
 * @param groups group name to (tensor name to array)
 */
public record Checkpoint(Path dir, TrainingState state, Map<String, Map<String, NDArray>> groups)
        implements AutoCloseable {

    /**
     * One tensor group.
     *
     * @param name the group name
     * @return tensor name to array
     * @throws IllegalArgumentException if the checkpoint has no such group
     */
    public Map<String, NDArray> group(String name) {
        Map<String, NDArray> g = groups.get(name);
        if (g == null) {
            throw new IllegalArgumentException(dir + " has no tensor group '" + name + "'; it has " + groups.keySet());
        }
        return g;
    }

    /** Closes every loaded array. */
    @Override
    public void close() {
        groups.values().forEach(g -> g.values().forEach(NDArray::close));
    }
}
