package org.jepa4j.train.run;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint is incomplete, corrupt or unreadable; the message names the checkpoint and the file at fault. */
public final class CheckpointException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param where the checkpoint directory or file at fault
     * @param problem what is wrong
     */
    public CheckpointException(Path where, String problem) {
        super(where + ": " + problem);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param where the checkpoint directory or file at fault
     * @param problem what is wrong
     * @param cause the underlying error
     */
    public CheckpointException(Path where, String problem, Throwable cause) {
        super(where + ": " + problem, cause);
    }
}
