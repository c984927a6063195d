package org.jepa4j.train.precision;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;
import org.jepa4j.core.tensor.ParameterType;
import org.jepa4j.train.config.Precision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Precision} resolved for a device, with what it implies for building and training the networks.
 *
 * <ul>
 *   <li>{@code fp32}: everything float32 (default on the CPU).
 *   <li>{@code tf32}: float32 tensors, TF32 tensor-core matmuls on CUDA through
 *       {@value #TF32_ENV}{@code =1} ({@link #prepareProcess()}); on the CPU identical to fp32.
 *   <li>{@code fp16-mixed} (default on a GPU): context encoder and predictor built with float16 parameters
 *       ({@link #computeType()}), float32 {@link MasterWeights} and AdamW moments, {@link DynamicLossScaler};
 *       the EMA target float32, or float16 with float32 EMA masters when {@link #fp16Target()}.
 * </ul>
 */
public final class PrecisionPolicy {

    /** The libtorch variable that turns TF32 on for float32 cuBLAS matmuls (read once, at the first one). */
    public static final String TF32_ENV = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

    private static final Logger LOG = LoggerFactory.getLogger(PrecisionPolicy.class);

    private final Precision precision;
    private final boolean gpu;
    private final boolean fp16Target;

    private PrecisionPolicy(Precision precision, boolean gpu, boolean fp16Target) {
        this.precision = precision;
        this.gpu = gpu;
        this.fp16Target = fp16Target;
    }

    /**
     * Resolves a configured precision for a device: {@code auto} becomes {@code fp16-mixed} on a GPU and
     * {@code fp32} on the CPU; explicit choices are kept (fp16-mixed on the CPU works, slowly, e.g. for tests).
     *
     * @param requested the configured precision
     * @param device the training device
     * @return the policy, with a float32 EMA target
     */
    public static PrecisionPolicy resolve(Precision requested, Device device) {
        Objects.requireNonNull(requested, "requested");
        boolean gpu = device.isGpu();
        Precision p = requested == Precision.AUTO ? (gpu ? Precision.FP16_MIXED : Precision.FP32) : requested;
        return new PrecisionPolicy(p, gpu, false);
    }

    /**
     * Returns this policy with the EMA target encoder kept in float16 (its EMA is still computed on float32 masters)
     * or float32; only meaningful for fp16-mixed.
     *
     * @param fp16 whether the target encoder runs in float16
     * @return the adjusted policy
     */
    public PrecisionPolicy withFp16Target(boolean fp16) {
        return new PrecisionPolicy(precision, gpu, fp16 && precision == Precision.FP16_MIXED);
    }

    /**
     * The resolved precision: FP32, TF32 or FP16_MIXED (never AUTO).
     *
     * @return the resolved precision: FP32, TF32 or FP16_MIXED (never AUTO)
     */
    public Precision precision() {
        return precision;
    }

    /**
     * Whether compute parameters are float16 with float32 masters and loss scaling.
     *
     * @return whether compute parameters are float16 with float32 masters and loss scaling
     */
    public boolean isMixed() {
        return precision == Precision.FP16_MIXED;
    }

    /**
     * Type of the context encoder's and predictor's parameters and activations.
     *
     * @return type of the context encoder's and predictor's parameters and activations
     */
    public DataType computeType() {
        return isMixed() ? DataType.FLOAT16 : DataType.FLOAT32;
    }

    /**
     * Whether the EMA target encoder computes in float16.
     *
     * @return whether the EMA target encoder computes in float16
     */
    public boolean fp16Target() {
        return fp16Target;
    }

    /**
     * Type of the EMA target encoder's parameters (its EMA state is float32 in any case).
     *
     * @return type of the EMA target encoder's parameters (its EMA state is float32 in any case)
     */
    public DataType targetType() {
        return fp16Target ? DataType.FLOAT16 : DataType.FLOAT32;
    }

    /**
     * Whether TF32 matmuls take effect (TF32 requested and a CUDA device).
     *
     * @return whether TF32 matmuls take effect (TF32 requested and a CUDA device)
     */
    public boolean usesTf32() {
        return precision == Precision.TF32 && gpu;
    }

    /**
     * Opens a block in which new modules get this policy's compute parameter type (see {@link ParameterType}).
     *
     * @return the guard to close after building the context encoder and predictor
     */
    public ParameterType computeParameters() {
        return ParameterType.use(computeType());
    }

    /**
     * Opens a block in which new modules get the EMA target's parameter type.
     *
     * @return the guard to close after building the target encoder
     */
    public ParameterType targetParameters() {
        return ParameterType.use(targetType());
    }

    /**
     * A loss scaler for this policy: GradScaler defaults for fp16-mixed, {@link DynamicLossScaler#disabled()} else.
     *
     * @return a loss scaler for this policy: GradScaler defaults for fp16-mixed, {@link DynamicLossScaler#disabled()}
     *     else
     */
    public DynamicLossScaler newLossScaler() {
        return isMixed() ? DynamicLossScaler.builder().build() : DynamicLossScaler.disabled();
    }

    /**
     * Prepares the process for this policy before the engine runs any matmul: for TF32 on a GPU sets
     * {@value #TF32_ENV}{@code =1} in the native environment. libtorch reads it once, at its first cuBLAS matmul, so
     * call this at start-up (a launcher may export the variable instead). Nothing to do for other policies.
     *
     * @return true when the variable was set by this call
     */
    public boolean prepareProcess() {
        if (!usesTf32()) {
            if (precision == Precision.TF32) {
                LOG.info("tf32 requested on the CPU: TF32 only affects CUDA matmuls, training in plain fp32");
            }
            return false;
        }
        if ("1".equals(System.getenv(TF32_ENV))) {
            return false; // exported by the launcher
        }
        try {
            if ("1".equals(NativeEnvironment.get(TF32_ENV))) {
                return false;
            }
            NativeEnvironment.set(TF32_ENV, "1");
        } catch (UnsupportedOperationException | IllegalStateException | LinkageError e) {
            LOG.warn("Cannot set {}=1 from inside the JVM ({}); export it before starting java, else tf32 trains in "
                    + "plain fp32", TF32_ENV, e.toString());
            return false;
        }
        LOG.info("set {}=1 (TF32 cuBLAS matmuls; effective only if no matmul ran on the GPU before)", TF32_ENV);
        return true;
    }

    @Override
    public String toString() {
        return precision.yamlName() + (gpu ? " on GPU" : " on CPU") + (fp16Target ? ", fp16 target" : "");
    }
}
