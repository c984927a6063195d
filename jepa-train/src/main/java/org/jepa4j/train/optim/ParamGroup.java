package org.jepa4j.train.optim;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * One AdamW parameter group for the fused kernel: parameters with their gradients and both moments, index by
 * index (as the lists {@code torch._fused_adamw_} takes).
 *
 * @param params parameters, updated in place
 * @param grads their gradients
 * @param expAvg first moments, updated in place
 * @param expAvgSq second moments, updated in place
 */
record ParamGroup(List<NDArray> params, List<NDArray> grads, List<NDArray> expAvg, List<NDArray> expAvgSq) {

    /** An empty group to {@link #add} to. */
    static ParamGroup empty() {
        return new ParamGroup(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    /** Adds one parameter with its gradient and moments. */
    void add(NDArray param, NDArray grad, NDArray m, NDArray v) {
        params.add(param);
        grads.add(grad);
        expAvg.add(m);
        expAvgSq.add(v);
    }
}
