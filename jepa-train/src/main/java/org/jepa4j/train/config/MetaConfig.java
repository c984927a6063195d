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
 * @param precision numeric precision ({@code auto}: fp16-mixed on a GPU, fp32 on the CPU)
 * @param fp16Target with fp16-mixed, run the EMA target encoder in float16 too (its EMA state stays float32)
 * @param maxNanSteps stop with an error after this many non-finite losses in a row
 * @param initFrom weights a fresh run starts from instead of random initialization, or null: a jepa4j run or
 *     {@code checkpoints/step-N} directory, a Hugging Face V-JEPA 2 directory, or a reference {@code .pt} checkpoint
 *     (see {@link org.jepa4j.train.weights.InitialWeights}); ignored when the run directory already has checkpoints
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
        boolean fp16Target,
        int maxNanSteps,
        String initFrom) {

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
        if (fp16Target && precision != Precision.FP16_MIXED && precision != Precision.AUTO) {
            throw new ConfigException(S + ".fp16_target", "true needs precision fp16-mixed or auto, got precision '"
                    + precision.yamlName() + "'");
        }
        if (initFrom != null && initFrom.isBlank()) {
            throw new ConfigException(S + ".init_from", "must be a path or null, got an empty string");
        }
    }

    /**
     * A copy with another {@code init_from}.
     *
     * @param path the weights to start from, or null for random initialization
     * @return the new section
     */
    public MetaConfig withInitFrom(String path) {
        return new MetaConfig(seed, loadCheckpoint, readCheckpoint, checkpointFreq, checkpointEverySteps, keepLast,
                device, precision, fp16Target, maxNanSteps, path);
    }

    /**
     * Defaults: seed 234 (V-JEPA), resume when possible, checkpoint every epoch, keep 3, auto device, auto precision
     * (fp16-mixed on a GPU, fp32 on the CPU), float32 target encoder, random initialization (no init_from).
     *
     * @return the default meta section
     */
    public static MetaConfig defaults() {
        return new MetaConfig(234, true, null, 1, 0, 3, "auto", Precision.AUTO, false, 10, null);
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
                y.bool("fp16_target", d.fp16Target),
                y.integer("max_nan_steps", d.maxNanSteps),
                y.string("init_from", d.initFrom));
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
        m.put("fp16_target", fp16Target);
        m.put("max_nan_steps", maxNanSteps);
        m.put("init_from", initFrom);
        return m;
    }
}
