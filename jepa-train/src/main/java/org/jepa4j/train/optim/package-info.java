/**
 * Optimization: our own {@link org.jepa4j.train.optim.AdamW} over named parameters (checkpointable moments),
 * gradient utilities and clipping by global norm, and the reference schedules (warmup + cosine learning
 * rate, cosine weight decay, linear EMA momentum) with ipe/ipe_scale semantics and step-counter state.
 */
package org.jepa4j.train.optim;
