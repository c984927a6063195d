package org.jepa4j.train.world;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.io.AtomicFiles;
import org.jepa4j.core.world.AcPredictorConfig;

/**
 * Configuration of a world-model training run ({@code config.yaml} of its run directory), in sections whose keys
 * follow {@code app/vjepa_droid} where it has them:
 * <pre>
 *   data:          clip_frames 8, frame_step 1, batch_size 8, use_states true (false: the predictor is given zero
 *                  states in training and planning, so it must read the agent's state from the frames)
 *   model:         predictor_embed_dim 256, depth 4, num_heads 8, mlp_ratio 4.0, num_frames 64 (tubelet 2: up to
 *                  32 steps), use_rope, is_frame_causal, use_silu, wide_silu, residual false (true: the predictor
 *                  outputs the change of the tokens, added to the last frame's; jepa4j's option, not the reference's)
 *                  (img_size, patch_size and embed_dim come from the encoder, action_embed_dim from the data)
 *   loss:          auto_steps 2, loss_exp 1.0, normalize_reps true
 *   optimization:  epochs 10, ipe 100, lr 4.25e-4, start_lr 7.5e-5, final_lr 0, warmup 1, anneal 1 (epochs),
 *                  weight_decay 0.04, final_weight_decay 0.04, beta1 0.9, beta2 0.999, eps 1e-8
 *   meta:          seed 0, device auto, keep_last 2, max_nan_steps 10, checkpoint_every_steps 0, encoder, data,
 *                  feature_cache ("" none, "run" the run's feature_cache/ folder, or a folder), encode_batch 16
 *   logging:       log_freq 10, metrics_format csv, plot_freq 100, progress_bar true
 * </pre>
 * Values are checked against the defaults' types; unknown keys are errors naming the key.
 */
public final class WorldTrainConfig {

    private final Map<String, Map<String, Object>> values;

    private WorldTrainConfig(Map<String, Map<String, Object>> values) {
        this.values = values;
        WorldConfigSchema.check(this, integer("model", "num_frames"), integer("model", "tubelet_size"));
    }

    /**
     * The defaults.
     *
     * @return the defaults
     */
    public static WorldTrainConfig defaultConfig() {
        return new WorldTrainConfig(WorldConfigSchema.copy(WorldConfigSchema.DEFAULTS));
    }

    /**
     * Reads a YAML file (sections as above; missing keys keep their defaults).
     *
     * @param file the YAML file
     * @return the configuration
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and key at fault
     */
    public static WorldTrainConfig read(Path file) throws IOException {
        return WorldConfigYaml.read(file);
    }

    /**
     * Returns a copy with one value replaced.
     *
     * @param key {@code section.key}
     * @param value the value (a number, boolean or string of the default's type; strings are parsed as YAML
     *     scalars, so {@code "1e-3"} and {@code "true"} work)
     * @return the new configuration
     * @throws IllegalArgumentException naming an unknown key or a value of the wrong type
     */
    public WorldTrainConfig with(String key, Object value) {
        int dot = key.indexOf('.');
        String section = dot < 0 ? "" : key.substring(0, dot);
        String name = key.substring(dot + 1);
        Object typed = WorldConfigSchema.typed(key, section, name, value);
        Map<String, Map<String, Object>> next = WorldConfigSchema.copy(values);
        next.get(section).put(name, typed);
        return new WorldTrainConfig(next);
    }

    /**
     * Applies {@code section.key=value} overrides in order.
     *
     * @param overrides the overrides
     * @return the new configuration
     */
    public WorldTrainConfig withOverrides(List<String> overrides) {
        WorldTrainConfig c = this;
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("override '" + o + "' is not section.key=value");
            }
            c = c.with(o.substring(0, eq).strip(), o.substring(eq + 1).strip());
        }
        return c;
    }

    private int integer(String s, String k) {
        return (Integer) values.get(s).get(k);
    }

    private double number(String s, String k) {
        return (Double) values.get(s).get(k);
    }

    private boolean bool(String s, String k) {
        return (Boolean) values.get(s).get(k);
    }

    private String string(String s, String k) {
        return (String) values.get(s).get(k);
    }

    /**
     * The predictor configuration for an encoder and an action dimension.
     *
     * @param imageSize the encoder's image size
     * @param patchSize the encoder's patch size
     * @param embedDim the encoder's token width
     * @param actionDim the data's action dimension
     * @return the predictor's hyper-parameters
     */
    public AcPredictorConfig predictorConfig(int imageSize, int patchSize, int embedDim, int actionDim) {
        return new AcPredictorConfig(imageSize, imageSize, patchSize, integer("model", "num_frames"),
                integer("model", "tubelet_size"), embedDim, integer("model", "predictor_embed_dim"),
                integer("model", "depth"), integer("model", "num_heads"), number("model", "mlp_ratio"), actionDim,
                bool("model", "use_rope"), bool("model", "is_frame_causal"), false, bool("model", "use_silu"),
                bool("model", "wide_silu"), bool("model", "residual"));
    }

    /**
     * Frames per training clip T.
     *
     * @return frames per training clip T
     */
    public int clipFrames() {
        return integer("data", "clip_frames");
    }

    /**
     * Distance between a clip's frames in the episode.
     *
     * @return distance between a clip's frames in the episode
     */
    public int frameStep() {
        return integer("data", "frame_step");
    }

    /**
     * Clips per step.
     *
     * @return clips per step
     */
    public int batchSize() {
        return integer("data", "batch_size");
    }

    /**
     * Whether the predictor is given the episodes' states (proprioception). Without, it gets zero states in
     * training and planning and must read the agent's state from the frames: the right choice where obstacles
     * make the planner's analytic state update ({@code s + a}) wrong.
     *
     * @return {@code data.use_states}
     */
    public boolean useStates() {
        return bool("data", "use_states");
    }

    /**
     * Rollout length of the auto-regressive loss.
     *
     * @return rollout length of the auto-regressive loss
     */
    public int autoSteps() {
        return integer("loss", "auto_steps");
    }

    /**
     * Loss exponent (1: L1).
     *
     * @return loss exponent (1: L1)
     */
    public double lossExp() {
        return number("loss", "loss_exp");
    }

    /**
     * Whether predictions are layer-normed before the loss.
     *
     * @return whether predictions are layer-normed before the loss
     */
    public boolean normalizeReps() {
        return bool("loss", "normalize_reps");
    }

    /**
     * Epochs.
     *
     * @return epochs
     */
    public int epochs() {
        return integer("optimization", "epochs");
    }

    /**
     * Steps per epoch (0: clips / batch size).
     *
     * @return steps per epoch (0: clips / batch size)
     */
    public int ipe() {
        return integer("optimization", "ipe");
    }

    /**
     * Peak learning rate.
     *
     * @return peak learning rate
     */
    public double lr() {
        return number("optimization", "lr");
    }

    /**
     * Learning rate at the start of the warmup.
     *
     * @return learning rate at the start of the warmup
     */
    public double startLr() {
        return number("optimization", "start_lr");
    }

    /**
     * Learning rate at the end of the decay.
     *
     * @return learning rate at the end of the decay
     */
    public double finalLr() {
        return number("optimization", "final_lr");
    }

    /**
     * Warmup length in epochs.
     *
     * @return warmup length in epochs
     */
    public double warmup() {
        return number("optimization", "warmup");
    }

    /**
     * Final linear decay length in epochs.
     *
     * @return final linear decay length in epochs
     */
    public double anneal() {
        return number("optimization", "anneal");
    }

    /**
     * Weight decay at the start.
     *
     * @return weight decay at the start
     */
    public double weightDecay() {
        return number("optimization", "weight_decay");
    }

    /**
     * Weight decay at the end (cosine).
     *
     * @return weight decay at the end (cosine)
     */
    public double finalWeightDecay() {
        return number("optimization", "final_weight_decay");
    }

    /**
     * AdamW beta1.
     *
     * @return adamW beta1
     */
    public double beta1() {
        return number("optimization", "beta1");
    }

    /**
     * AdamW beta2.
     *
     * @return adamW beta2
     */
    public double beta2() {
        return number("optimization", "beta2");
    }

    /**
     * AdamW epsilon.
     *
     * @return adamW epsilon
     */
    public double eps() {
        return number("optimization", "eps");
    }

    /**
     * Seed of the initial weights and of the clip sampling.
     *
     * @return seed of the initial weights and of the clip sampling
     */
    public int seed() {
        return integer("meta", "seed");
    }

    /**
     * Device name.
     *
     * @return device name
     */
    public String device() {
        return string("meta", "device");
    }

    /**
     * Checkpoints kept.
     *
     * @return checkpoints kept
     */
    public int keepLast() {
        return integer("meta", "keep_last");
    }

    /**
     * Non-finite losses in a row after which the run stops as diverged.
     *
     * @return non-finite losses in a row after which the run stops as diverged
     */
    public int maxNanSteps() {
        return integer("meta", "max_nan_steps");
    }

    /**
     * Checkpoint period in steps (0: every epoch).
     *
     * @return checkpoint period in steps (0: every epoch)
     */
    public int checkpointEverySteps() {
        return integer("meta", "checkpoint_every_steps");
    }

    /**
     * The encoder path recorded for the run.
     *
     * @return the encoder path recorded for the run
     */
    public String encoder() {
        return string("meta", "encoder");
    }

    /**
     * The dataset path recorded for the run.
     *
     * @return the dataset path recorded for the run
     */
    public String data() {
        return string("meta", "data");
    }

    /**
     * Feature cache: empty for none, {@code run} for the run's own folder, or a folder.
     *
     * @return feature cache: empty for none, {@code run} for the run's own folder, or a folder
     */
    public String featureCache() {
        return string("meta", "feature_cache");
    }

    /**
     * Frames per encoder pass.
     *
     * @return frames per encoder pass
     */
    public int encodeBatch() {
        return integer("meta", "encode_batch");
    }

    /**
     * Steps between log lines.
     *
     * @return steps between log lines
     */
    public int logFreq() {
        return integer("logging", "log_freq");
    }

    /**
     * Metrics file format, csv or jsonl.
     *
     * @return metrics file format, csv or jsonl
     */
    public String metricsFormat() {
        return string("logging", "metrics_format");
    }

    /**
     * Steps between plot refreshes.
     *
     * @return steps between plot refreshes
     */
    public int plotFreq() {
        return integer("logging", "plot_freq");
    }

    /**
     * Whether to draw a console progress bar.
     *
     * @return whether to draw a console progress bar
     */
    public boolean progressBar() {
        return bool("logging", "progress_bar");
    }

    /**
     * The YAML text of every value.
     *
     * @return the YAML text of every value
     */
    public String toYaml() {
        return WorldConfigYaml.dump(values);
    }

    /**
     * Writes the YAML atomically.
     *
     * @param file the destination
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toYaml());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WorldTrainConfig w && w.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
