/**
 * Numeric precision of training: {@link org.jepa4j.train.precision.PrecisionPolicy} (fp32, tf32, fp16-mixed),
 * float32 {@link org.jepa4j.train.precision.MasterWeights} behind float16 compute parameters, the
 * {@link org.jepa4j.train.precision.DynamicLossScaler} (torch {@code GradScaler} semantics) and the
 * {@link org.jepa4j.train.precision.MixedPrecisionOptimizer} that ties them to {@code AdamW}.
 *
 * <p>DJL has no autocast, no bfloat16 (a BFLOAT16 tensor aborts the JVM) and no differentiable cast, so mixed
 * precision is done by hand: the context encoder and the predictor are built with float16 parameters
 * ({@link org.jepa4j.core.tensor.ParameterType}), pixels stay float32 and are cast in the patch embedding, the loss is
 * computed in float32 by type promotion (float16 predictions minus float32 targets), and gradients reach the
 * float16 parameters scaled by the loss scale. After backward, one fused reduction un-scales them into float32,
 * checks them for Inf/NaN and measures their global norm; AdamW then updates the float32 masters (its moments are
 * float32), the masters are rounded back into the float16 parameters, and the EMA target is moved from the masters.
 * Checkpoints hold the masters, so a run can change precision when it resumes.
 *
 * <p>TF32: libtorch reads {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE} once, at its first cuBLAS matmul.
 * {@link org.jepa4j.train.precision.PrecisionPolicy#prepareProcess()} sets it through
 * {@link org.jepa4j.train.precision.NativeEnvironment}; launchers can equally export
 * {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} before starting the JVM.
 */
package org.jepa4j.train.precision;
