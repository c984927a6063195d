/**
 * Target-encoder support for JEPA training: the target encoder is an exponential moving average (EMA) of the
 * online (context) encoder and never receives gradients.
 *
 * <ul>
 *   <li>{@link org.jepa4j.core.target.EmaUpdater}: exact initial copy, freezing, and the in-place update
 *       {@code t = m * t + (1 - m) * c} over {@code Map<String, NDArray>} parameter maps.
 *   <li>{@link org.jepa4j.core.target.NoGrad}: a try-with-resources guard that turns autograd recording off on
 *       the current thread (PyTorch's {@code torch.no_grad()}).
 * </ul>
 */
package org.jepa4j.core.target;
