package org.jepa4j.train.world;

import java.nio.file.Path;

/** Bad episode data: the message names the episode folder and the problem (file, row, column). */
public final class EpisodeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Path episode;

    /**
     * Creates the exception.
     *
     * @param episode the episode folder
     * @param problem what is wrong, naming the file and row or column where it applies
     */
    public EpisodeException(Path episode, String problem) {
        super("episode " + episode + ": " + problem);
        this.episode = episode;
    }

    /**
     * Creates the exception with a cause.
     *
     * @param episode the episode folder
     * @param problem what is wrong
     * @param cause the underlying error
     */
    public EpisodeException(Path episode, String problem, Throwable cause) {
        super("episode " + episode + ": " + problem, cause);
        this.episode = episode;
    }

    /**
     * Returns the episode folder at fault.
     *
     * @return returns the episode folder at fault
     */
    public Path episode() {
        return episode;
    }
}
