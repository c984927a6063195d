package org.jepa4j.core.io;

import java.util.List;

/**
 * An opaque placeholder for a harmless Python object found in a checkpoint (e.g. an {@code argparse.Namespace} of
 * training arguments, a NumPy scalar, a {@code torch.device}): nothing is constructed or executed, the
 * reconstruction recipe is only recorded. Tensors never become placeholders.
 *
 * @param global the class or function, as {@code module.name} (e.g. {@code argparse.Namespace})
 * @param args the arguments the pickle passes to it (decoded values)
 * @param state the state set by {@code BUILD} (e.g. the {@code __dict__} of a Namespace), or null
 */
public record PickleObject(String global, List<Object> args, Object state) {

    /**
     * Copies the arguments.
     *
     * @param global the global name
     * @param args the arguments
     * @param state the state, or null
     */
    public PickleObject {
        args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
    }

    /**
     * A copy with the state set (pickle {@code BUILD}).
     *
     * @param newState the state
     * @return a new placeholder
     */
    PickleObject withState(Object newState) {
        return new PickleObject(global, args, newState);
    }
}
