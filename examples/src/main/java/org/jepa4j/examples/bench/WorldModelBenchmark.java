package org.jepa4j.examples.bench;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.video.synthetic.DiscWorld;
import org.jepa4j.train.world.FrameEncoder;
import org.jepa4j.train.world.WorldModel;
import org.jepa4j.train.world.WorldModelEvaluation;
import org.jepa4j.train.world.WorldModelTrainer;
import org.jepa4j.train.world.WorldTrainConfig;

/**
 * World-model learning check and feature-cache speed-up on the {@link DiscWorld} world: a small
 * action-conditioned predictor trains on the features of a frozen (untrained, random-init) tiny V-JEPA 2-style
 * encoder and is scored on held-out episodes against the copy-the-last-frame baseline; then the same training steps
 * are timed with the features read from the on-disk cache and encoded at every step.
 *
 * <p>The quick version of the learning check is {@code WorldModelLearningTest} of jepa-train (same recipe, fewer
 * steps). Run: {@code java -cp ... org.jepa4j.examples.bench.WorldModelBenchmark [steps]} (default 1500), or
 * {@code jepa4j bench --only world}.
 */
public final class WorldModelBenchmark {

    private WorldModelBenchmark() {
    }

    /**
     * Figures of one run.
     *
     * @param steps training steps
     * @param heldOut held-out scores of the trained model and of the copy-last baseline
     * @param finalTrainLoss the last training loss (teacher forcing + rollout)
     * @param msPerStepCached mean step time with the feature cache (after it was filled)
     * @param msPerStepEncoding mean step time encoding the frames at every step
     * @param cacheFillSeconds time to encode every frame once into the cache
     * @param seconds wall time of the whole benchmark
     */
    public record Result(long steps, WorldModelEvaluation.Result heldOut, double finalTrainLoss,
            double msPerStepCached, double msPerStepEncoding, double cacheFillSeconds, double seconds) {

        /** Speed-up of the cached steps over the encoding ones. */
        public double cacheSpeedup() {
            return msPerStepEncoding / msPerStepCached;
        }
    }

    /** The frozen encoder of the benchmark: 64 px, patch 16 (4 x 4 tokens), width 64, 2 blocks, 3D RoPE. */
    public static VitConfig encoderConfig() {
        return VitConfig.builder().setWidth(64).setDepth(2).setNumHeads(4).optFrames(2).optTubeletSize(2)
                .optImageSize(64).optPatchSize(16).optPositionKind(PositionKind.ROPE_3D).build();
    }

    /**
     * The training configuration of the benchmark.
     *
     * @param steps training steps
     * @return the configuration
     */
    public static WorldTrainConfig config(int steps) {
        return WorldTrainConfig.defaultConfig().withOverrides(java.util.List.of(
                "data.clip_frames=4", "data.batch_size=8", "model.predictor_embed_dim=128", "model.depth=2",
                "model.num_heads=4", "model.num_frames=16", "optimization.epochs=1", "optimization.ipe=" + steps,
                "optimization.lr=2e-3", "optimization.start_lr=2e-4", "optimization.final_lr=1e-5",
                "optimization.warmup=0.1", "optimization.anneal=0.3", "meta.device=cpu", "meta.encode_batch=64",
                "logging.progress_bar=false", "logging.log_freq=100000", "logging.plot_freq=0"));
    }

    /**
     * Writes the disc world (training and held-out episodes) under {@code dir}.
     *
     * @param dir the folder
     * @param trainEpisodes training episodes
     * @param heldOutEpisodes held-out episodes (another seed)
     * @throws IOException if writing fails
     */
    public static void writeWorld(Path dir, int trainEpisodes, int heldOutEpisodes) throws IOException {
        DiscWorld.write(dir.resolve("train"), new DiscWorld.Spec(trainEpisodes, 16, 64, 9, 8, 1));
        DiscWorld.write(dir.resolve("held_out"), new DiscWorld.Spec(heldOutEpisodes, 16, 64, 9, 8, 2));
    }

    /**
     * Trains with the feature cache and scores on held-out episodes.
     *
     * @param dir a folder holding {@link #writeWorld} output; the run goes to {@code dir/run}
     * @param steps training steps
     * @param encoder the frozen encoder
     * @return the trainer's summary and the held-out scores
     * @throws IOException if a file cannot be read or written
     */
    public static Trained train(Path dir, int steps, FrameEncoder encoder) throws IOException {
        WorldTrainConfig cfg = config(steps).with("meta.feature_cache", "run");
        WorldModelTrainer.Summary s = WorldModelTrainer.builder().setData(dir.resolve("train"))
                .setFrameEncoder(encoder).setRunDirectory(dir.resolve("run")).optConfig(cfg).build().fit();
        WorldModelEvaluation.Result r;
        try (WorldModel wm = WorldModel.withEncoder(dir.resolve("run"), encoder)) {
            r = WorldModelEvaluation.evaluate(wm, dir.resolve("held_out"), 64);
        }
        return new Trained(s, r);
    }

    /**
     * A training run and its held-out scores.
     *
     * @param summary the trainer's summary
     * @param heldOut the held-out scores
     */
    public record Trained(WorldModelTrainer.Summary summary, WorldModelEvaluation.Result heldOut) {
    }

    /**
     * Runs the benchmark in a temporary folder (deleted afterwards): 48 training and 12 held-out episodes, 30 timed
     * steps each way.
     *
     * @param steps training steps of the learning check
     * @return the figures
     * @throws IOException if files cannot be written
     */
    public static Result run(int steps) throws IOException {
        return run(steps, 48, 12, 30);
    }

    /**
     * Runs the benchmark in a temporary folder (deleted afterwards).
     *
     * @param steps training steps of the learning check
     * @param trainEpisodes training episodes
     * @param heldOutEpisodes held-out episodes
     * @param timed steps timed with and without the feature cache
     * @return the figures
     * @throws IOException if files cannot be written
     */
    public static Result run(int steps, int trainEpisodes, int heldOutEpisodes, int timed) throws IOException {
        long t0 = System.nanoTime();
        Path tmp = Files.createTempDirectory("jepa4j-world");
        try (FrameEncoder enc = FrameEncoder.untrained(encoderConfig(), 3, Device.cpu())) {
            writeWorld(tmp, trainEpisodes, heldOutEpisodes);
            Trained t = train(tmp, steps, enc);
            WorldTrainConfig timing = config(timed).with("optimization.warmup", 0.0);
            WorldModelTrainer.Summary cached = WorldModelTrainer.builder().setData(tmp.resolve("train"))
                    .setFrameEncoder(enc).setRunDirectory(tmp.resolve("timing_cached"))
                    .optConfig(timing.with("meta.feature_cache", tmp.resolve("run/feature_cache").toString())).build()
                    .fit();
            WorldModelTrainer.Summary encoding = WorldModelTrainer.builder().setData(tmp.resolve("train"))
                    .setFrameEncoder(enc).setRunDirectory(tmp.resolve("timing_encoding")).optConfig(timing).build()
                    .fit();
            return new Result(t.summary().steps(), t.heldOut(), t.summary().finalLoss(),
                    1000 * cached.trainSeconds() / cached.steps(), 1000 * encoding.trainSeconds() / encoding.steps(),
                    t.summary().cacheSeconds(), (System.nanoTime() - t0) / 1e9);
        } finally {
            try (var paths = Files.walk(tmp)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Entry point.
     *
     * @param args optional step count (default 1500)
     * @throws IOException if files cannot be written
     */
    public static void main(String[] args) throws IOException {
        Result r = run(args.length > 0 ? Integer.parseInt(args[0]) : 1500);
        System.out.printf("%d steps, final training loss %.4f%nheld-out: %s%n", r.steps(), r.finalTrainLoss(),
                r.heldOut());
        System.out.printf("feature cache: %.1f ms/step cached vs %.1f ms/step encoding (x%.2f); filling it took %.1f s%n",
                r.msPerStepCached(), r.msPerStepEncoding(), r.cacheSpeedup(), r.cacheFillSeconds());
    }
}
