/**
 * Target-encoder support for JEPA training: the target encoder is an exponential moving average (EMA) of the
 * online (context) encoder and never receives gradients.
 *
 * <ul>
 *   <li>{@link org.jepa4j.core.target.EmaUpdater}: exact initial copy, freezing, and the in-place update
 *       {@code t = m * t + (1 - m) * c} over {@code Map<String, NDArray>} parameter maps.
 * </ul>
 */
package org.jepa4j.core.target;
