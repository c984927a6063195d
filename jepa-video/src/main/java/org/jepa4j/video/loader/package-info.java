/**
 * Parallel, reproducible batch loading: {@link org.jepa4j.video.loader.ClipLoader} (built with its
 * builder) runs worker threads that decode and transform samples, and hands out
 * {@link org.jepa4j.video.loader.Batch}es of NDArrays epoch by epoch
 * ({@link org.jepa4j.video.loader.EpochIterator}); {@link org.jepa4j.video.loader.LoaderStats} counts
 * decoded samples, bad files and waiting time.
 */
package org.jepa4j.video.loader;
