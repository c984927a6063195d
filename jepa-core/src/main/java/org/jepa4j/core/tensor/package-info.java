/**
 * Small tensor helpers that work around hazards of DJL's PyTorch engine, and the per-thread mode switches.
 *
 * <p>The mode switches are try-with-resources guards that hold for the current thread only:
 * {@link org.jepa4j.core.tensor.NoGrad} (PyTorch's {@code torch.no_grad()}), {@link org.jepa4j.core.tensor.Autograd}
 * (grad mode on and {@code loss.backward()} without DJL's one-per-JVM {@code GradientCollector}) and
 * {@link org.jepa4j.core.tensor.ParameterType} (the data type modules built on this thread hold their parameters in,
 * like {@code torch.set_default_dtype}).
 *
 * <p>The one that matters most: DJL's {@code NDArray.mul(Number)}, {@code div(Number)}, {@code pow(Number)} (and
 * the other {@code Number} overloads) wrap the number in a temporary array that aliases Java direct memory and
 * close it right after the op. When the op is recorded for autograd, libtorch keeps that scalar for the backward
 * pass, but Java frees its memory once the temporary is collected, so a later backward may read garbage: we
 * measured NaN gradients in 20 of 20 tries after a garbage collection. Code on the autograd path therefore uses
 * {@link org.jepa4j.core.tensor.Scalars} instead, whose arrays stay alive with their manager or scope.
 *
 * <p>{@link org.jepa4j.core.tensor.TorchScriptModules} reaches libtorch operators DJL has no binding for (fused
 * attention, fused AdamW) through a one-class TorchScript module written in memory.
 */
package org.jepa4j.core.tensor;
