package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code meta} section: seed, device, precision, checkpointing and failure handling.
 *
 * @param seed seed of every random stream of the run
 * @param loadCheckpoint resume from the run directory's latest checkpoint when present
 * @param readCheckpoint a specific checkpoint (path relative to the run directory) to resume from, or null
 * @param checkpointFreq write a checkpoint every this many epochs (and at the end)
 * @param checkpointEverySteps also write one every this many steps (0: off)
 * @param keepLast checkpoints kept on disk (older ones are deleted)
 * @param device {@code auto} (GPU when present), {@code cpu}, {@code gpu} or {@code gpu:N}
 * @param precision numeric precision
 * @param maxNanSteps stop with an error after this many non-finite losses in a row
 */
public record MetaConfig(
        long seed,
        boolean loadCheckpoint,
        String readCheckpoint,
        int checkpointFreq,
        long checkpointEverySteps,
        int keepLast,
        String device,
        Precision precision,
        int maxNanSteps) {

    static final String S = "meta";

    /** Validates every field; messages name the key path and the value. */
    public MetaConfig {
        Checks.positive(S + ".checkpoint_freq", checkpointFreq);
        Checks.nonNegative(S + ".checkpoint_every_steps", checkpointEverySteps);
        Checks.positive(S + ".keep_last", keepLast);
        Checks.positive(S + ".max_nan_steps", maxNanSteps);
        if (!device.matches("auto|cpu|gpu|gpu:\\d+")) {
            throw new ConfigException(S + ".device", "must be auto, cpu, gpu or gpu:N, got '" + device + "'");
        }
        if (precision == null) {
            throw new ConfigException(S + ".precision", "must be set, got null");
        }
    }

    /**
     * Defaults: seed 234 (V-JEPA), resume when possible, checkpoint every epoch, keep 3, auto device, fp32 (to become
     * {@link Precision#AUTO} once the trainer runs fp16-mixed).
     */
    public static MetaConfig defaults() {
        return new MetaConfig(234, true, null, 1, 0, 3, "auto", Precision.FP32, 10);
    }

    static MetaConfig from(YamlSection y) {
        MetaConfig d = defaults();
        MetaConfig out = new MetaConfig(
                y.longValue("seed", d.seed),
                y.bool("load_checkpoint", d.loadCheckpoint),
                y.string("read_checkpoint", d.readCheckpoint),
                y.integer("checkpoint_freq", d.checkpointFreq),
                y.longValue("checkpoint_every_steps", d.checkpointEverySteps),
                y.integer("keep_last", d.keepLast),
                y.string("device", d.device),
                Precision.parse(y.child("precision"), y.string("precision", d.precision.yamlName())),
                y.integer("max_nan_steps", d.maxNanSteps));
        y.finish();
        return out;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("load_checkpoint", loadCheckpoint);
        m.put("read_checkpoint", readCheckpoint);
        m.put("checkpoint_freq", checkpointFreq);
        m.put("checkpoint_every_steps", checkpointEverySteps);
        m.put("keep_last", keepLast);
        m.put("device", device);
        m.put("precision", precision.yamlName());
        m.put("max_nan_steps", maxNanSteps);
        return m;
    }
}
