package org.jepa4j.core.tensor;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns autograd recording off on the current thread until closed, then restores the previous mode: the
 * equivalent of PyTorch's {@code with torch.no_grad():}. DJL's PyTorch engine turns grad mode on while a
 * {@code GradientCollector} is open; operations on parameters that require gradients inside it would otherwise
 * build a graph.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     // in-place updates that must not be recorded
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad(boolean previous) {
        this.previous = previous;
    }

    /**
     * Disables grad mode on this thread.
     *
     * @return the guard that restores the previous mode when closed
     */
    public static NoGrad enter() {
        boolean previous = JniUtils.isGradMode();
        if (previous) {
            JniUtils.setGradMode(false);
        }
        return new NoGrad(previous);
    }

    /**
     * Whether autograd records operations on this thread right now.
     *
     * @return the PyTorch grad mode of the current thread
     */
    public static boolean isGradEnabled() {
        return JniUtils.isGradMode();
    }

    /** Restores the grad mode that was in force when {@link #enter()} was called. */
    @Override
    public void close() {
        if (previous) {
            JniUtils.setGradMode(true);
        }
    }
}
