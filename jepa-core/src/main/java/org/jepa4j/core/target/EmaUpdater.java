package org.jepa4j.core.target;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.tensor.NoGrad;

/**
 * Exponential-moving-average maintenance of a target encoder's parameters from an online encoder's, as in
 * I-JEPA / V-JEPA: after each optimizer step, {@code t = m * t + (1 - m) * c} for every parameter, with
 * momentum {@code m} close to 1 (e.g. 0.996 rising to 1.0).
 *
 * <p>The update runs in place on the target arrays, with autograd off ({@link NoGrad}) and no temporary tensor:
 * it is computed as {@code t = (t - c) * m + c}, three in-place native ops per parameter
 * ({@code subi, muli, addi}), equal to the textbook form up to float rounding. The only temporary, the 0-d momentum
 * scalar, is created once per call inside an {@link NDScope}, so a long training loop does not grow the count of
 * live NDArrays. On the PyTorch engine the same three ops run as libtorch multi-tensor calls over all parameters
 * ({@code _foreach_sub_/mul_/add_}, bit for bit the loop's result; {@code -Djepa4j.ema=loop} keeps the loop).
 *
 * <p>Maps follow the project contract: ordered {@code Map<String, NDArray>}, names such as
 * {@code blocks.0.attn.qkv.weight}; both maps must hold the same names with the same shapes.
 */
public final class EmaUpdater {

    private EmaUpdater() {
    }

    /**
     * Moves every target parameter towards its online counterpart: {@code t = m * t + (1 - m) * c}, in place.
     *
     * @param target the target (EMA) parameters; modified in place; must not require gradients
     * @param online the online parameters; only read
     * @param momentum {@code m} in [0, 1]; 1 leaves the target unchanged, 0 copies the online values
     * @throws IllegalArgumentException if the maps differ in names or shapes (all mismatches are listed), the
     *     momentum is out of range, or a target array requires gradients
     */
    public static void update(Map<String, NDArray> target, Map<String, NDArray> online, double momentum) {
        if (!(momentum >= 0.0 && momentum <= 1.0)) {
            throw new IllegalArgumentException("EMA momentum must be in [0, 1], got " + momentum);
        }
        checkSameLayout(target, online);
        if (target.isEmpty()) {
            return;
        }
        checkFrozen(target);
        if (ForeachEmaKernel.isAvailable(target.values()) && ForeachEmaKernel.isAvailable(online.values())) {
            updateForeach(target, online, momentum);
        } else {
            updateLoop(target, online, momentum);
        }
    }

    /** The update as three libtorch multi-tensor calls over all parameters (layout already checked). */
    static void updateForeach(Map<String, NDArray> target, Map<String, NDArray> online, double momentum) {
        List<NDArray> sources = new ArrayList<>(target.size()); // in the target's order
        for (String name : target.keySet()) {
            sources.add(online.get(name));
        }
        try (NoGrad ignored = NoGrad.enter()) {
            ForeachEmaKernel.update(target.values(), sources, momentum); // the loop's ops, three native calls
        }
    }

    /** The update parameter by parameter (layout already checked). */
    static void updateLoop(Map<String, NDArray> target, Map<String, NDArray> online, double momentum) {
        NDManager manager = target.values().iterator().next().getManager();
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            NDArray m = manager.create((float) momentum); // 0-d; shared by every parameter
            for (Map.Entry<String, NDArray> e : target.entrySet()) {
                NDArray t = e.getValue(); // [*shape], in place
                NDArray c = online.get(e.getKey()); // [*shape]
                t.subi(c).muli(m).addi(c); // t = (t - c) * m + c
            }
        }
    }

    /**
     * Copies every online value into the target exactly (bit for bit), in place, without autograd: the initial
     * {@code target = deepcopy(online)} of the references, for a target whose arrays already exist.
     *
     * @param target the destination arrays; modified in place
     * @param source the values to copy; only read
     * @throws IllegalArgumentException if the maps differ in names or shapes
     */
    public static void copyInto(Map<String, NDArray> target, Map<String, NDArray> source) {
        checkSameLayout(target, source);
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> e : target.entrySet()) {
                e.getValue().set(new NDIndex("..."), source.get(e.getKey()));
            }
        }
    }

    /**
     * Stops every array of the map from requiring gradients (a target encoder is never trained by backprop).
     *
     * @param parameters the arrays to freeze
     */
    public static void freeze(Map<String, NDArray> parameters) {
        for (NDArray a : parameters.values()) {
            if (a.hasGradient()) {
                a.setRequiresGradient(false);
            }
        }
    }

    /**
     * Checks that two parameter maps hold the same names with the same shapes.
     *
     * @param target the first map (named "target" in messages)
     * @param online the second map (named "online" in messages)
     * @throws IllegalArgumentException listing every missing name and shape mismatch
     */
    public static void checkSameLayout(Map<String, NDArray> target, Map<String, NDArray> online) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : target.entrySet()) {
            NDArray o = online.get(e.getKey());
            if (o == null) {
                problems.add("'" + e.getKey() + "' missing from online");
            } else if (!o.getShape().equals(e.getValue().getShape())) {
                problems.add("'" + e.getKey() + "' shape target " + e.getValue().getShape() + " vs online "
                        + o.getShape());
            }
        }
        for (String name : online.keySet()) {
            if (!target.containsKey(name)) {
                problems.add("'" + name + "' missing from target");
            }
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 20);
            throw new IllegalArgumentException("target and online parameters differ (" + problems.size()
                    + " mismatches): " + String.join("; ", problems.subList(0, shown))
                    + (shown < problems.size() ? "; ..." : ""));
        }
    }

    private static void checkFrozen(Map<String, NDArray> target) {
        for (Map.Entry<String, NDArray> e : target.entrySet()) {
            if (e.getValue().hasGradient()) {
                throw new IllegalArgumentException("target parameter '" + e.getKey()
                        + "' requires gradients; freeze the target first (EmaUpdater.freeze)");
            }
        }
    }
}
