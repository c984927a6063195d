package org.jepa4j.train.run;

/**
 * What a jepa4j checkpoint contains: the one place that names its files, tensor groups and {@code extra} keys.
 *
 * <pre>
 * checkpoints/
 *   latest                      name of the newest complete checkpoint directory ({@link #LATEST})
 *   step-000001234/
 *     encoder.safetensors        context encoder, reference names ({@link #ENCODER})
 *     target_encoder.safetensors EMA target encoder ({@link #TARGET_ENCODER})
 *     predictor.safetensors      predictor ({@link #PREDICTOR})
 *     optimizer.safetensors      AdamW moments and step ({@link #OPTIMIZER})
 *     loss_scaler.safetensors    dynamic loss scale, fp16-mixed only ({@link #LOSS_SCALER})
 *     state.json                 {@link TrainingState} + size and CRC32C of every file ({@link #STATE_FILE})
 * </pre>
 *
 * <p>Network groups hold float32 weights (the masters under fp16-mixed), so a run resumes under any precision.
 * {@link TrainingState#extra()} holds the data position ({@link #DATA_EPOCH}, {@link #DATA_BATCH}), the iterations
 * per epoch the schedules were built for ({@link #IPE}), the gradient overflows so far ({@link #OVERFLOW_STEPS})
 * and the precision the run trained in ({@link #PRECISION}). {@link Checkpointer} writes and reads the directories.
 */
public final class CheckpointLayout {

    /** Group name of the context encoder. */
    public static final String ENCODER = "encoder";
    /** Group name of the EMA target encoder. */
    public static final String TARGET_ENCODER = "target_encoder";
    /** Group name of the predictor. */
    public static final String PREDICTOR = "predictor";
    /** Group name of the optimizer state ({@code AdamW.exportState()}). */
    public static final String OPTIMIZER = "optimizer";
    /** Group name of the loss scaler's state (fp16-mixed runs). */
    public static final String LOSS_SCALER = "loss_scaler";

    /** Name of the pointer file holding the latest checkpoint's directory name. */
    public static final String LATEST = "latest";
    /** Name of the JSON file in each checkpoint. */
    public static final String STATE_FILE = "state.json";

    /** {@code extra} key: the data epoch the next batch comes from. */
    public static final String DATA_EPOCH = "data_epoch";
    /** {@code extra} key: the index of the next batch within its data epoch. */
    public static final String DATA_BATCH = "data_batch";
    /** {@code extra} key: iterations per epoch the schedules were built for. */
    public static final String IPE = "ipe";
    /** {@code extra} key: float16 gradient overflows skipped so far. */
    public static final String OVERFLOW_STEPS = "overflow_steps";
    /** {@code extra} key: the precision ({@code fp32}, {@code tf32}, {@code fp16-mixed}) the run trained in. */
    public static final String PRECISION = "precision";

    private CheckpointLayout() {
    }
}
