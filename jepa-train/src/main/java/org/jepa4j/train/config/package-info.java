/**
 * Training configuration: immutable records for the YAML sections of a pretraining run (data, data_aug,
 * mask, model, optimization, loss, meta, logging), their defaults and validation, built-in presets
 * ({@code vjepa_vitl16}, {@code vjepa2_vitl16}, {@code ijepa_vith14}, {@code vjepa_tiny}, {@code physics_tiny}, {@code physics_long}) and writing the resolved configuration
 * back to YAML. Entry point: {@link org.jepa4j.train.config.TrainConfig}.
 */
package org.jepa4j.train.config;
