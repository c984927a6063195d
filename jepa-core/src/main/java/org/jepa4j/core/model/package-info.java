/**
 * JEPA networks as plain modules: {@link org.jepa4j.core.model.VisionTransformer} encoders (image and video),
 * the {@link org.jepa4j.core.model.Predictor}, the {@link org.jepa4j.core.model.AttentiveClassifier} probe
 * and their building blocks ({@link org.jepa4j.core.model.Attention}, {@link org.jepa4j.core.model.Block},
 * {@link org.jepa4j.core.model.Mlp}, {@link org.jepa4j.core.model.LayerNorm}, positions).
 *
 * <p>No DJL {@code Block}/{@code ParameterStore} machinery is used: every module holds its parameters as
 * float32 {@link ai.djl.ndarray.NDArray}s (float16 when built inside a
 * {@link org.jepa4j.core.tensor.ParameterType} block) owned by the {@link ai.djl.ndarray.NDManager} given at construction
 * and exposes them, under the V-JEPA reference names, through {@link org.jepa4j.core.model.Module#parameters()}.
 * Forward methods are plain NDArray functions, differentiable with DJL's {@code GradientCollector}.
 */
package org.jepa4j.core.model;
