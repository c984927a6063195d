/**
 * Run bookkeeping: the {@link org.jepa4j.train.run.RunDirectory} layout, what a checkpoint contains
 * ({@link org.jepa4j.train.run.CheckpointLayout}: groups, files, {@code extra} keys), atomic checkpoints of named
 * tensor groups plus JSON training state ({@link org.jepa4j.train.run.Checkpointer}, keep-last-N and a latest
 * pointer), and exact capture of {@code java.util.Random} states ({@link org.jepa4j.train.run.RngState}).
 */
package org.jepa4j.train.run;
