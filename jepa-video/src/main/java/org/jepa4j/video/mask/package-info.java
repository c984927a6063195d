/**
 * Spatio-temporal JEPA masks: which tokens the context encoder sees and which the predictor must predict.
 *
 * <ul>
 *   <li>{@link org.jepa4j.video.mask.MaskGenerator} / {@link org.jepa4j.video.mask.MaskSet}: the contract a trainer
 *       uses (one {@code MaskSet} of [B, Nc] context ids and [B, Nt] target ids per mask set and batch).</li>
 *   <li>{@link org.jepa4j.video.mask.MultiBlock3dMaskGenerator}: V-JEPA multiblock 3D (short-range and long-range
 *       sets), configured by {@link org.jepa4j.video.mask.MultiBlock3dConfig} and
 *       {@link org.jepa4j.video.mask.MultiBlockSpec}.</li>
 *   <li>{@link org.jepa4j.video.mask.MultiBlock2dMaskGenerator}: I-JEPA multiblock 2D, configured by
 *       {@link org.jepa4j.video.mask.MultiBlock2dConfig}; one mask set per target block.</li>
 *   <li>{@link org.jepa4j.video.mask.RandomTubeMaskGenerator}: random tubes (same spatial mask in every frame).</li>
 *   <li>{@link org.jepa4j.video.mask.MaskStatistics} and {@link org.jepa4j.video.mask.MaskPictures}: token-count
 *       statistics (text/JSON) and PNG pictures of sampled masks.</li>
 * </ul>
 *
 * <p>Token ids index a {@link org.jepa4j.core.model.TokenGrid} in time-major order and are sorted ascending in
 * every row. All generators take their randomness from a {@link java.util.Random} argument, so a fixed seed
 * reproduces the masks; they reproduce the behaviour of the reference collators in facebookresearch/jepa and
 * facebookresearch/ijepa (sizes drawn once per batch, positions per sample, rows cut to the batch's shortest).
 */
package org.jepa4j.video.mask;
