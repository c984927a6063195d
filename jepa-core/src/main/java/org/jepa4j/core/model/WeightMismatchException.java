package org.jepa4j.core.model;

import java.util.List;

/**
 * Thrown when a set of named tensors does not fit a module: lists every missing, unknown and mis-shaped tensor
 * at once.
 */
public final class WeightMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<String> missing;
    private final List<String> unknown;
    private final List<String> misshaped;

    /**
     * Creates the exception.
     *
     * @param origin where the tensors came from (file path or description)
     * @param missing module parameters with no tensor
     * @param unknown tensors the module has no parameter for
     * @param misshaped "name: expected S1, got S2" entries
     */
    public WeightMismatchException(String origin, List<String> missing, List<String> unknown, List<String> misshaped) {
        super(message(origin, missing, unknown, misshaped));
        this.missing = List.copyOf(missing);
        this.unknown = List.copyOf(unknown);
        this.misshaped = List.copyOf(misshaped);
    }

    private static String message(String origin, List<String> missing, List<String> unknown, List<String> misshaped) {
        StringBuilder sb = new StringBuilder("Weights from ").append(origin).append(" do not fit the model:");
        if (!missing.isEmpty()) {
            sb.append("\n  missing (").append(missing.size()).append("): ").append(String.join(", ", missing));
        }
        if (!unknown.isEmpty()) {
            sb.append("\n  unknown (").append(unknown.size()).append("): ").append(String.join(", ", unknown));
        }
        if (!misshaped.isEmpty()) {
            sb.append("\n  mis-shaped (").append(misshaped.size()).append("): ").append(String.join("; ", misshaped));
        }
        return sb.toString();
    }

    /**
     * Returns the parameter names that had no tensor.
     *
     * @return the parameter names that had no tensor
     */
    public List<String> missing() {
        return missing;
    }

    /**
     * Returns the tensor names the model does not have.
     *
     * @return the tensor names the model does not have
     */
    public List<String> unknown() {
        return unknown;
    }

    /**
     * Returns the shape mismatches as "name: expected S1, got S2".
     *
     * @return the shape mismatches as "name: expected S1, got S2"
     */
    public List<String> misshaped() {
        return misshaped;
    }
}
