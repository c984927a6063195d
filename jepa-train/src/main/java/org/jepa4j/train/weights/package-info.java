/**
 * Where weights come from: {@link org.jepa4j.train.weights.WeightSource} recognizes a path (a jepa4j run or
 * checkpoint, a Hugging Face model directory, a reference {@code .pt}, a safetensors file) once for every user;
 * {@link org.jepa4j.train.weights.RunCheckpoint} finds a run's checkpoint and configuration without writing;
 * {@link org.jepa4j.train.weights.InitialWeights} starts a training run from such weights ({@code meta.init_from}).
 * Frozen encoders for feature extraction are built from the same resolver
 * ({@code org.jepa4j.train.features.EncoderLoader#of}).
 */
package org.jepa4j.train.weights;
