package org.jepa4j.train.world;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The YAML form of {@link WorldTrainConfig}: a mapping of sections, each a mapping of keys to scalars. */
final class WorldConfigYaml {

    private WorldConfigYaml() {
    }

    /**
     * Reads a YAML file over the defaults (missing keys keep their defaults).
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and key at fault
     */
    @SuppressWarnings("unchecked")
    static WorldTrainConfig read(Path file) throws IOException {
        Object parsed;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (parsed == null) {
            return WorldTrainConfig.defaultConfig();
        }
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException(file + ": expected a mapping of sections "
                    + WorldConfigSchema.DEFAULTS.keySet());
        }
        WorldTrainConfig c = WorldTrainConfig.defaultConfig();
        try {
            for (Map.Entry<String, Object> s : ((Map<String, Object>) parsed).entrySet()) {
                if (!(s.getValue() instanceof Map)) {
                    throw new IllegalArgumentException("section '" + s.getKey() + "' must be a mapping");
                }
                for (Map.Entry<String, Object> kv : ((Map<String, Object>) s.getValue()).entrySet()) {
                    c = c.with(s.getKey() + "." + kv.getKey(), kv.getValue());
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return c;
    }

    /** A YAML scalar's value ({@code "1e-3"} a number, {@code "true"} a boolean). */
    static Object scalar(String s) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(s);
    }

    /** The block-style YAML text of sections of values. */
    static String dump(Map<String, Map<String, Object>> values) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(values);
    }
}
