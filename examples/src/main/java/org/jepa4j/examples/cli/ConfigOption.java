package org.jepa4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.train.config.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Resolves a {@code --config} value: an existing YAML file, else the name of a built-in preset
 * ({@link TrainConfig#PRESETS}); {@code --set key.path=value} overrides are applied on top.
 */
final class ConfigOption {

    private ConfigOption() {
    }

    /**
     * Loads the configuration.
     *
     * @param value a YAML file or a preset name
     * @param overrides {@code key.path=value} overrides
     * @return the validated configuration
     * @throws NoSuchFileException if {@code value} looks like a file name but does not exist
     * @throws IOException if the file cannot be read
     * @throws org.jepa4j.train.config.ConfigException for an invalid file, key or value, or an unknown preset
     */
    static TrainConfig load(String value, List<String> overrides) throws IOException {
        Path file = Path.of(value);
        if (Files.isRegularFile(file)) {
            return TrainConfig.load(file, overrides);
        }
        if (TrainConfig.PRESETS.contains(value)) {
            return TrainConfig.preset(value, overrides);
        }
        if (Files.isDirectory(file)) {
            throw new IOException(value + ": is a folder, not a YAML config file");
        }
        if (value.contains("/") || value.endsWith(".yaml") || value.endsWith(".yml")) {
            throw new NoSuchFileException(value);
        }
        return TrainConfig.preset(value, overrides); // unknown preset: the message lists the known ones
    }

    /**
     * Checks the form of {@code --set} overrides.
     *
     * @param cli the command, for the usage error
     * @param overrides the overrides
     * @throws ParameterException (exit 2) naming the first one that is not {@code KEY=VALUE}
     */
    static void checkOverrides(CommandLine cli, List<String> overrides) {
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0 || o.substring(0, eq).isBlank()) {
                throw new ParameterException(cli, "--set needs KEY=VALUE, got '" + o + "'");
            }
        }
    }
}
