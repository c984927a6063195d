package org.jepa4j.train.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jepa4j.core.target.EmaUpdater;
import org.jepa4j.core.tensor.NoGrad;

/**
 * Float32 master copies of a model's compute parameters, by name. The optimizer updates the masters; after every
 * update (or restore) {@link #copyToCompute()} rounds them into the compute parameters the forward pass uses.
 *
 * <p>With float16 compute parameters the masters are new float32 arrays owned by this object (a sub-manager of the
 * compute parameters' manager); each master requires a gradient exactly when its compute parameter does, so that
 * {@code AdamW} built on {@link #masters()} trains the same set (masters never enter an autograd graph: gradients
 * are read from the compute parameters). With float32 compute parameters the masters <em>are</em> the compute
 * arrays and {@link #copyToCompute()} does nothing, so one code path serves every precision.
 *
 * <p>Checkpoints should hold {@link #masters()}: their names and float32 values are those of a float32 run, which
 * lets a run resume under another precision policy.
 */
public final class MasterWeights implements AutoCloseable {

    private static final NDIndex ALL = new NDIndex("...");

    private final Map<String, NDArray> compute;
    private final Map<String, NDArray> masters;
    private final NDManager manager; // owns the masters; null when they are the compute arrays

    private MasterWeights(Map<String, NDArray> compute, Map<String, NDArray> masters, NDManager manager) {
        this.compute = Collections.unmodifiableMap(compute);
        this.masters = Collections.unmodifiableMap(masters);
        this.manager = manager;
    }

    /**
     * Masters holding the compute parameters' current values (exact: every float16 is a float32).
     *
     * @param compute live compute parameters by name (float16 or float32, all the same type)
     * @return the masters; close them when the model is closed
     * @throws IllegalArgumentException if the map is empty or mixes types
     */
    public static MasterWeights fromCompute(Map<String, NDArray> compute) {
        return create(compute, null);
    }

    /**
     * Masters holding exact float32 values (for example the parameters of a float32 model built from the same seed,
     * or a checkpoint); the compute parameters are overwritten with their rounding.
     *
     * @param compute live compute parameters by name
     * @param initial values with the same names and shapes (any floating type; converted to float32)
     * @return the masters
     * @throws IllegalArgumentException if the layouts differ
     */
    public static MasterWeights fromValues(Map<String, NDArray> compute, Map<String, NDArray> initial) {
        Objects.requireNonNull(initial, "initial");
        EmaUpdater.checkSameLayout(compute, initial);
        return create(compute, initial);
    }

    private static MasterWeights create(Map<String, NDArray> compute, Map<String, NDArray> initial) {
        Objects.requireNonNull(compute, "compute");
        if (compute.isEmpty()) {
            throw new IllegalArgumentException("no compute parameters given");
        }
        DataType type = computeType(compute);
        Map<String, NDArray> copy = new LinkedHashMap<>(compute);
        if (type == DataType.FLOAT32) {
            MasterWeights same = new MasterWeights(copy, copy, null);
            if (initial != null) {
                same.load(initial);
            }
            return same;
        }
        NDManager owner = compute.values().iterator().next().getManager().newSubManager();
        owner.setName("fp32-master-weights");
        Map<String, NDArray> masters = new LinkedHashMap<>();
        try (NoGrad ignored = NoGrad.enter()) {
            for (Map.Entry<String, NDArray> e : compute.entrySet()) {
                NDArray source = initial == null ? e.getValue() : initial.get(e.getKey());
                // A real copy: DJL's toType/toDevice with copy=true return an alias when type and device already
                // match, and a CPU array made from a Java buffer dies with its creator's wrapper (use after free).
                NDArray m = source.getDataType() == DataType.FLOAT32 ? source.duplicate()
                        : source.toType(DataType.FLOAT32, false); // a new array, no autograd history
                m.attach(owner);
                m.setRequiresGradient(e.getValue().hasGradient());
                masters.put(e.getKey(), m);
            }
        } catch (RuntimeException ex) {
            owner.close();
            throw ex;
        }
        MasterWeights weights = new MasterWeights(copy, masters, owner);
        if (initial != null) {
            weights.copyToCompute();
        }
        return weights;
    }

    private static DataType computeType(Map<String, NDArray> compute) {
        DataType type = null;
        for (Map.Entry<String, NDArray> e : compute.entrySet()) {
            DataType t = e.getValue().getDataType();
            if (t != DataType.FLOAT32 && t != DataType.FLOAT16) {
                throw new IllegalArgumentException("compute parameter '" + e.getKey() + "' is " + t
                        + "; expected float16 or float32");
            }
            if (type != null && t != type) {
                throw new IllegalArgumentException("compute parameters mix " + type + " and " + t + " (at '"
                        + e.getKey() + "')");
            }
            type = t;
        }
        return type;
    }

    /**
     * The type of the compute parameters (FLOAT16 or FLOAT32).
     *
     * @return the data type the forward and backward passes run in
     */
    public DataType computeType() {
        return compute.values().iterator().next().getDataType();
    }

    /**
     * Whether the masters are separate float32 arrays (false: they are the float32 compute parameters).
     *
     * @return true when float32 master copies exist beside float16 compute parameters
     */
    public boolean hasSeparateMasters() {
        return manager != null;
    }

    /**
     * The live compute parameters by name (read-only map).
     *
     * @return the compute-type parameter arrays the networks use, by parameter name
     */
    public Map<String, NDArray> compute() {
        return compute;
    }

    /**
     * The live float32 masters by name, in the compute parameters' order (read-only map).
     *
     * @return the float32 arrays the optimizer (or EMA) updates, each shaped like its compute parameter
     */
    public Map<String, NDArray> masters() {
        return masters;
    }

    /**
     * The masters whose names start with {@code prefix}, with the prefix removed: e.g. {@code masters("encoder.")}
     * gives an encoder's reference names, for EMA updates and checkpoint groups.
     *
     * @param prefix name prefix
     * @return a new ordered map of the live masters
     * @throws IllegalArgumentException if no name has the prefix
     */
    public Map<String, NDArray> masters(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : masters.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no master weight name starts with '" + prefix + "'");
        }
        return out;
    }

    /**
     * Rounds every master into its compute parameter, in place and without autograd (call it after each optimizer
     * step, outside any {@code GradientCollector}). Nothing to do when the masters are the compute parameters.
     */
    public void copyToCompute() {
        if (manager == null) {
            return;
        }
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> e : masters.entrySet()) {
                compute.get(e.getKey()).set(ALL, e.getValue()); // float32 -> float16, one fused copy
            }
        }
    }

    /**
     * Restores the masters from saved values (bit-exact for float32 values), then refreshes the compute parameters.
     *
     * @param values name to array, same names and shapes as {@link #masters()}; any floating type, any device
     * @throws IllegalArgumentException listing missing names and shape mismatches
     */
    public void load(Map<String, NDArray> values) {
        EmaUpdater.checkSameLayout(masters, values);
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (Map.Entry<String, NDArray> e : masters.entrySet()) {
                NDArray m = e.getValue();
                NDArray v = values.get(e.getKey());
                m.set(ALL, v.getDevice().equals(m.getDevice()) ? v : v.toDevice(m.getDevice(), true));
            }
        }
        copyToCompute();
    }

    /** Frees the separate masters (the compute parameters belong to their model). */
    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
