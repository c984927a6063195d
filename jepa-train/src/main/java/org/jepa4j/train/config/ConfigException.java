package org.jepa4j.train.config;

/**
 * A configuration value is missing, malformed, out of range or unknown.
 *
 * <p>The message always starts with the dotted key path at fault (for example
 * {@code optimization.lr: must be > 0, got -1}), prefixed by the source file when one is known.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String keyPath;

    /**
     * Creates an exception for one key.
     *
     * @param keyPath dotted path of the offending key, e.g. {@code mask.sets[0].num_blocks}
     * @param problem what is wrong, e.g. {@code must be > 0, got -1}
     */
    public ConfigException(String keyPath, String problem) {
        super(keyPath + ": " + problem);
        this.keyPath = keyPath;
    }

    private ConfigException(String source, ConfigException cause) {
        super(source + ": " + cause.getMessage(), cause);
        this.keyPath = cause.keyPath;
    }

    /** Returns a copy of {@code e} whose message names the file (or resource) it came from. */
    static ConfigException inSource(String source, ConfigException e) {
        return new ConfigException(source, e);
    }

    /**
     * Dotted path of the offending key.
     *
     * @return dotted path of the offending key
     */
    public String keyPath() {
        return keyPath;
    }
}
