package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network part that owns parameters. Trainers, EMA, checkpoints and optimizers work only through
 * {@link #parameters()}: the map's arrays are the live parameters (not copies), keyed by the V-JEPA reference
 * names (for example {@code blocks.0.attn.qkv.weight}), in a stable order.
 */
public interface Module {

    /**
     * Adds this module's parameters to {@code out}, each name prefixed with {@code prefix}.
     *
     * @param prefix prefix for every name, empty or ending with a dot (e.g. {@code "blocks.3."})
     * @param out the map receiving the live parameter arrays
     */
    void collectParameters(String prefix, Map<String, NDArray> out);

    /**
     * Returns the live parameters of this module, in a stable order.
     *
     * @return a new {@link LinkedHashMap} from reference name to parameter array
     */
    default Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    /**
     * Turns gradient tracking of every parameter on (trainable) or off (frozen, e.g. an EMA target).
     *
     * @param trainable whether the parameters should receive gradients
     */
    default void setTrainable(boolean trainable) {
        for (NDArray p : parameters().values()) {
            p.setRequiresGradient(trainable);
        }
    }
}
