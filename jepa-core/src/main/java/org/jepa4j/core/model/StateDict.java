package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Copies named tensors into a module's parameters, validating names and shapes first. */
public final class StateDict {

    private StateDict() {}

    /**
     * Copies {@code source} into {@code target.parameters()} (values are copied; the module keeps its arrays).
     * Nothing is copied unless every name and shape fits.
     *
     * @param target the module to fill
     * @param source tensors keyed by our reference names (float types are converted to the parameters' type)
     * @param origin where the tensors came from, for the error message
     * @throws WeightMismatchException listing all missing, unknown and mis-shaped tensors
     */
    public static void load(Module target, Map<String, NDArray> source, String origin) {
        load(target, source, origin, List.of(), List.of());
    }

    /**
     * As {@link #load(Module, Map, String)}, adding problems found earlier (e.g. while renaming a foreign
     * checkpoint) to the single exception.
     *
     * @param target the module to fill
     * @param source tensors keyed by our reference names
     * @param origin where the tensors came from
     * @param extraMissing names already known to be missing
     * @param extraUnknown names already known to be unknown
     * @throws WeightMismatchException listing all problems
     */
    public static void load(Module target, Map<String, NDArray> source, String origin, List<String> extraMissing,
            List<String> extraUnknown) {
        Map<String, NDArray> params = target.parameters();
        List<String> missing = new ArrayList<>(extraMissing);
        List<String> unknown = new ArrayList<>(extraUnknown);
        List<String> misshaped = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray src = source.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.getShape().equals(e.getValue().getShape())) {
                misshaped.add(e.getKey() + ": expected " + e.getValue().getShape() + ", got " + src.getShape());
            }
        }
        for (String name : source.keySet()) {
            if (!params.containsKey(name)) {
                unknown.add(name);
            }
        }
        if (!missing.isEmpty() || !unknown.isEmpty() || !misshaped.isEmpty()) {
            throw new WeightMismatchException(origin, missing, unknown, misshaped);
        }
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray src = source.get(e.getKey());
            if (src.getDataType() != e.getValue().getDataType()) {
                try (NDArray f = src.toType(e.getValue().getDataType(), true)) {
                    f.copyTo(e.getValue());
                }
            } else {
                src.copyTo(e.getValue());
            }
        }
    }
}
