package org.jepa4j.core.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Per-thread autograd control without DJL's {@code GradientCollector} (of which only one may be open per JVM):
 * data-parallel replicas record and back-propagate on their own threads at the same time.
 */
public final class Autograd implements AutoCloseable {

    private final boolean previous;

    private Autograd(boolean previous) {
        this.previous = previous;
    }

    /**
     * Turns PyTorch grad mode on for the current thread until closed.
     *
     * @return the guard that restores the previous mode when closed
     */
    public static Autograd record() {
        boolean previous = JniUtils.isGradMode();
        if (!previous) {
            JniUtils.setGradMode(true);
        }
        return new Autograd(previous);
    }

    /**
     * Back-propagates a scalar, accumulating into the {@code .grad} of every leaf that requires a gradient (as
     * {@code loss.backward()}). The seed gradient of ones is created in the current NDScope, if any.
     *
     * @param loss a 0-d (or one-element) array recorded with grad mode on
     */
    public static void backward(NDArray loss) {
        NDArray ones = loss.onesLike();
        JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, false, false);
    }

    /** Restores the grad mode that was in force when {@link #record()} was called. */
    @Override
    public void close() {
        if (!previous) {
            JniUtils.setGradMode(false);
        }
    }
}
