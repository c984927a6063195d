package org.jepa4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/** A NumPy {@code .npy} file is malformed or holds an unsupported array; the message names the file and problem. */
public final class NpyException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception about one file.
     *
     * @param file the file at fault
     * @param problem what is wrong, in words
     */
    public NpyException(Path file, String problem) {
        super("npy file " + file + ": " + problem);
    }
}
