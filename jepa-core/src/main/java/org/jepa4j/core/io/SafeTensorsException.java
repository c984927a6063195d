package org.jepa4j.core.io;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file is malformed or cannot be read or written; the message names the file and the problem. */
public final class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception about one file.
     *
     * @param file the file at fault (may be {@code null} when there is no file, e.g. an in-memory check)
     * @param problem what is wrong, in words
     */
    public SafeTensorsException(Path file, String problem) {
        super(prefix(file) + problem);
    }

    /**
     * Creates an exception about one file, with its cause.
     *
     * @param file the file at fault (may be {@code null})
     * @param problem what is wrong, in words
     * @param cause the underlying exception
     */
    public SafeTensorsException(Path file, String problem, Throwable cause) {
        super(prefix(file) + problem, cause);
    }

    private static String prefix(Path file) {
        return file == null ? "safetensors: " : "safetensors file " + file + ": ";
    }
}
