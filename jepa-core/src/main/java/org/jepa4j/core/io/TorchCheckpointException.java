package org.jepa4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A PyTorch checkpoint is malformed, uses a feature jepa4j does not read, or names a Python global outside the
 * whitelist; the message names the file and the problem.
 */
public final class TorchCheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception about one file.
     *
     * @param file the file at fault
     * @param problem what is wrong, in words
     */
    public TorchCheckpointException(Path file, String problem) {
        super("PyTorch checkpoint " + file + ": " + problem);
    }

    /**
     * Creates an exception about one file, with its cause.
     *
     * @param file the file at fault
     * @param problem what is wrong, in words
     * @param cause the underlying exception
     */
    public TorchCheckpointException(Path file, String problem, Throwable cause) {
        super("PyTorch checkpoint " + file + ": " + problem, cause);
    }
}
