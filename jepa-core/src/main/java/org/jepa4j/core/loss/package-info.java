/**
 * JEPA training objectives on DJL NDArrays: the V-JEPA / V-JEPA 2 L1 (or L^p) regression loss, I-JEPA's smooth L1,
 * the affine-free layer norm applied to target features, and the differentiable gather of tokens by id.
 * See {@link org.jepa4j.core.loss.JepaLoss}.
 */
package org.jepa4j.core.loss;
