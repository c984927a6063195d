package org.jepa4j.core.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jepa4j.core.model.KeyValueCache;

/**
 * The state of an incremental (step-by-step) run of the action-conditioned predictor: the keys and values of every
 * block for the steps fed so far, and their count. Because attention is block-causal, the output of step t depends
 * only on steps {@code <= t}; {@link ActionConditionedPredictor#forwardStep} therefore computes only the new step's
 * tokens and attends them over the cached ones, giving the same result as a full {@code forward} over all steps
 * (to float rounding) at a fraction of the cost when rolling out autoregressively. The cached arrays belong to the
 * manager of the inputs of each step; create one cache per rollout and close that manager after it.
 */
public final class AcStepCache {

    private final List<KeyValueCache> layers;
    private int steps;

    AcStepCache(int depth) {
        List<KeyValueCache> list = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            list.add(new KeyValueCache());
        }
        layers = Collections.unmodifiableList(list);
    }

    /**
     * Number of steps fed so far.
     *
     * @return the index the next step will have
     */
    public int steps() {
        return steps;
    }

    /**
     * Batch size of the cached steps.
     *
     * @return the batch size, or -1 before the first step
     */
    public long batchSize() {
        return layers.isEmpty() ? -1 : layers.get(0).batchSize();
    }

    KeyValueCache layer(int i) {
        return layers.get(i);
    }

    void advance() {
        steps++;
    }
}
