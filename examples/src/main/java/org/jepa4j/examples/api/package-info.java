/**
 * Short, compiled examples of the library API, each runnable with {@code main}:
 * {@link org.jepa4j.examples.api.PretrainExample} (a V-JEPA from a preset, a few steps on a folder of videos),
 * {@link org.jepa4j.examples.api.ExtractFeaturesExample} (frozen features from a Hugging Face model directory) and
 * {@link org.jepa4j.examples.api.ProbeExample} (a linear probe on extracted features).
 */
package org.jepa4j.examples.api;
