package org.jepa4j.video.decode;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be used as a clip: not media, no video stream, corrupt, or no decodable frame. */
public final class UnreadableVideoException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    /**
     * @param file the file at fault
     * @param reason short human-readable reason
     */
    public UnreadableVideoException(Path file, String reason) {
        this(file, reason, null);
    }

    /**
     * @param file the file at fault
     * @param reason short human-readable reason
     * @param cause underlying error, may be null
     */
    public UnreadableVideoException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /**
     * The file at fault.
     *
     * @return the file at fault
     */
    public Path file() {
        return file;
    }

    /**
     * The reason without the file name.
     *
     * @return the reason without the file name
     */
    public String reason() {
        return reason;
    }
}
