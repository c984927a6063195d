package org.jepa4j.examples.bench;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.train.world.Episode;
import org.jepa4j.train.world.EpisodeDataset;
import org.jepa4j.train.world.FeatureCache;
import org.jepa4j.train.world.FrameEncoder;
import org.jepa4j.train.world.FrameReader;
import org.jepa4j.train.world.WorldModel;
import org.jepa4j.train.world.WorldModelEvaluation;
import org.jepa4j.train.world.WorldModelTrainer;
import org.jepa4j.train.world.WorldTrainConfig;
import org.jepa4j.video.synthetic.DiscWorld;

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
     * @param cache the feature-cache timings, one per encoder
     * @param seconds wall time of the whole benchmark
     */
    public record Result(long steps, WorldModelEvaluation.Result heldOut, double finalTrainLoss,
            List<CacheTiming> cache, double seconds) {
    }

    /**
     * Step times with the features read from the cache and with the frames read and encoded at every step (medians
     * over the timed steps, the first 5 left out); wall time, and process CPU time (all threads), which does not
     * depend on what else runs on the cores.
     *
     * @param encoder the frozen encoder
     * @param msCached wall ms per cached step
     * @param msEncoding wall ms per encoding step
     * @param cpuMsCached CPU ms per cached step
     * @param cpuMsEncoding CPU ms per encoding step
     * @param speedupWall {@code msEncoding / msCached}
     * @param speedupCpu {@code cpuMsEncoding / cpuMsCached}
     * @param fillSeconds time to encode every frame once into the cache
     */
    public record CacheTiming(String encoder, double msCached, double msEncoding, double cpuMsCached,
            double cpuMsEncoding, double speedupWall, double speedupCpu, double fillSeconds) {

        static CacheTiming of(String encoder, double[] cached, double[] encoding, double fillSeconds) {
            return new CacheTiming(encoder, cached[0], encoding[0], cached[1], encoding[1], encoding[0] / cached[0],
                    encoding[1] / cached[1], fillSeconds);
        }
    }

    /**
     * A ViT-S/16-sized frozen encoder at the benchmark's 64 px (width 384, 12 blocks, 6 heads, 3D RoPE).
     *
     * @return a ViT-S/16-sized frozen encoder at the benchmark's 64 px (width 384, 12 blocks, 6 heads, 3D RoPE)
     */
    public static VitConfig vitSmallConfig() {
        return VitConfig.builder().setWidth(384).setDepth(12).setNumHeads(6).optFrames(2).optTubeletSize(2)
                .optImageSize(64).optPatchSize(16).optPositionKind(PositionKind.ROPE_3D).build();
    }

    /**
     * The frozen encoder of the benchmark: 64 px, patch 16 (4 x 4 tokens), width 64, 2 blocks, 3D RoPE.
     *
     * @return the frozen encoder of the benchmark: 64 px, patch 16 (4 x 4 tokens), width 64, 2 blocks, 3D RoPE
     */
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
        return WorldTrainConfig.defaultConfig().withOverrides(List.of(
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
     * Median wall time and median process CPU time of a step (batch included), the first 5 steps (warm-up) left out.
     * The CPU time (all threads of the process) is what a step costs regardless of other processes on the cores.
     */
    private static double[] medianStepMs(Path data, FrameEncoder enc, Path run, WorldTrainConfig cfg)
            throws IOException {
        java.util.List<Double> wall = new java.util.ArrayList<>();
        java.util.List<Double> cpu = new java.util.ArrayList<>();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[] last = {os.getProcessCpuTime()};
        WorldModelTrainer.builder().setData(data).setFrameEncoder(enc).setRunDirectory(run).optConfig(cfg)
                .optListener(m -> {
                    long now = os.getProcessCpuTime();
                    if (m.step() > 5) {
                        wall.add(m.stepTimeMs() + m.dataTimeMs());
                        cpu.add((now - last[0]) / 1e6);
                    }
                    last[0] = now;
                }).build().fit();
        java.util.Collections.sort(wall);
        java.util.Collections.sort(cpu);
        return new double[] {wall.get(wall.size() / 2), cpu.get(cpu.size() / 2)};
    }

    /**
     * Runs the benchmark in a temporary folder (deleted afterwards): 48 training and 12 held-out episodes, 60 timed
     * steps each way with the tiny encoder, 15 with a ViT-S/16-sized one.
     *
     * @param steps training steps of the learning check
     * @return the figures
     * @throws IOException if files cannot be written
     */
    public static Result run(int steps) throws IOException {
        return run(steps, 48, 12, 60, true);
    }

    /**
     * Runs the benchmark in a temporary folder (deleted afterwards).
     *
     * @param steps training steps of the learning check
     * @param trainEpisodes training episodes
     * @param heldOutEpisodes held-out episodes
     * @param timed steps timed with and without the feature cache
     * @param vitSmall also time the cache with a ViT-S/16-sized encoder (a quarter of the steps, at least 8)
     * @return the figures
     * @throws IOException if files cannot be written
     */
    public static Result run(int steps, int trainEpisodes, int heldOutEpisodes, int timed, boolean vitSmall)
            throws IOException {
        long t0 = System.nanoTime();
        Path tmp = Files.createTempDirectory("jepa4j-world");
        try (FrameEncoder enc = FrameEncoder.untrained(encoderConfig(), 3, Device.cpu())) {
            writeWorld(tmp, trainEpisodes, heldOutEpisodes);
            Trained t = train(tmp, steps, enc);
            WorldTrainConfig timing = config(timed).with("optimization.warmup", 0.0);
            List<CacheTiming> cache = new ArrayList<>();
            double[] cached = medianStepMs(tmp.resolve("train"), enc, tmp.resolve("timing_cached"),
                    timing.with("meta.feature_cache", tmp.resolve("run/feature_cache").toString()));
            double[] encoding = medianStepMs(tmp.resolve("train"), enc, tmp.resolve("timing_encoding"), timing);
            cache.add(CacheTiming.of("tiny (width 64, 2 blocks)", cached, encoding, t.summary().cacheSeconds()));
            if (vitSmall) {
                try (FrameEncoder s = FrameEncoder.untrained(vitSmallConfig(), 4, Device.cpu())) {
                    int few = Math.max(8, timed / 4);
                    WorldTrainConfig small = config(few).with("optimization.warmup", 0.0);
                    long f0 = System.nanoTime();
                    FeatureCache fill = new FeatureCache(tmp.resolve("vits_cache"), 1L << 30);
                    EpisodeDataset data = EpisodeDataset.open(tmp.resolve("train"), 4, 1, 0);
                    try (FrameReader reader = new FrameReader(s.imageSize())) {
                        for (Episode e : data.episodes()) {
                            fill.ensure(e, reader, s, 64);
                        }
                    }
                    double fillSeconds = (System.nanoTime() - f0) / 1e9;
                    double[] c = medianStepMs(tmp.resolve("train"), s, tmp.resolve("vits_cached"),
                            small.with("meta.feature_cache", tmp.resolve("vits_cache").toString()));
                    double[] e = medianStepMs(tmp.resolve("train"), s, tmp.resolve("vits_encoding"), small);
                    cache.add(CacheTiming.of("ViT-S/16 size (width 384, 12 blocks)", c, e, fillSeconds));
                }
            }
            return new Result(t.summary().steps(), t.heldOut(), t.summary().finalLoss(), cache,
                    (System.nanoTime() - t0) / 1e9);
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
        for (CacheTiming c : r.cache()) {
            System.out.printf("feature cache, %s encoder: %.1f ms/step cached vs %.1f encoding (x%.2f wall); CPU %.1f "
                    + "vs %.1f ms/step (x%.2f); filling it took %.1f s%n", c.encoder(), c.msCached(), c.msEncoding(),
                    c.speedupWall(), c.cpuMsCached(), c.cpuMsEncoding(), c.speedupCpu(), c.fillSeconds());
        }
    }
}
