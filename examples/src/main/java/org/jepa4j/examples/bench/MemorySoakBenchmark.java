package org.jepa4j.examples.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.train.step.StepResult;
import org.jepa4j.train.Trainer;
import org.jepa4j.train.TrainingListener;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.metrics.StepMetrics;
import org.jepa4j.train.world.FrameEncoder;
import org.jepa4j.train.world.WorldModelTrainer;
import org.jepa4j.train.world.WorldTrainConfig;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.DiscWorld;
import org.jepa4j.video.synthetic.SyntheticVideos;

/**
 * Long-run memory check of the full trainer loop: a tiny V-JEPA trains for thousands of steps on synthetic videos
 * (real loader, checkpoints, metrics, collapse diagnostics) while the number of live NDArrays and the process
 * resident memory are sampled at regular intervals. A run that does not leak keeps the array count constant and
 * the RSS flat after warm-up. The array figure is the change between the first and the last sample; the RSS figure
 * is the least-squares slope over the samples after the first (which includes allocator and JIT warm-up), so that
 * one allocator spike at either end does not read as a trend.
 *
 * <p>{@link #runWorldModel(int)} does the same for the world-model trainer.
 *
 * <p>Run: {@code java -cp ... org.jepa4j.examples.bench.MemorySoakBenchmark [steps] [world]} (default 3000 steps;
 * 2000 in world mode).
 */
public final class MemorySoakBenchmark {

    private MemorySoakBenchmark() {}

    /**
     * Figures of one soak run.
     *
     * @param steps training steps run
     * @param samples sampled steps
     * @param liveArrays live NDArrays at each sample
     * @param rssMb resident memory in MB at each sample
     * @param liveArrayGrowth last minus first live-array count (0 when nothing leaks)
     * @param rssGrowthMbPer1000Steps least-squares slope of the RSS over the samples after warm-up, MB per 1000 steps
     * @param seconds wall time
     */
    public record Result(long steps, List<Long> samples, List<Integer> liveArrays, List<Double> rssMb,
            int liveArrayGrowth, double rssGrowthMbPer1000Steps, double seconds) {}

    /**
     * Runs the soak.
     *
     * @param steps training steps (at least 100)
     * @return the figures
     * @throws IOException if the synthetic videos or the run directory cannot be written
     */
    public static Result run(int steps) throws IOException {
        if (steps < 100) {
            throw new IllegalArgumentException("steps must be >= 100, got " + steps);
        }
        Path tmp = Files.createTempDirectory("jepa4j-soak");
        SyntheticVideos.write(tmp.resolve("videos"), new SyntheticVideos.Spec(8, 8, 16, 16, 1, 3));
        int perEpoch = 100;
        TrainConfig cfg = TrainConfig.preset("vjepa_tiny", List.of(
                "data.batch_size=2", "data.crop_size=16", "data.num_frames=4", "data.patch_size=8",
                "data.num_workers=1", "model.embed_dim=32", "model.num_heads=2", "model.depth=1",
                "model.pred_embed_dim=32", "model.pred_num_heads=2", "model.pred_depth=1",
                "optimization.ipe=" + perEpoch, "optimization.epochs=" + Math.max(1, steps / perEpoch),
                "meta.device=cpu", "meta.checkpoint_every_steps=500", "logging.folder=" + tmp.resolve("run"),
                "logging.progress_bar=false", "logging.log_freq=1000", "logging.collapse_freq=250"));
        Samples samples = new Samples(steps, "step");
        try {
            Trainer.builder().setConfig(cfg).optSource(VideoSource.fromFolder(tmp.resolve("videos")))
                    .addListener(new TrainingListener() {
                        @Override
                        public void onStep(StepMetrics m, StepResult r) {
                            samples.onStep(m.step());
                        }
                    }).build().fit();
        } finally {
            deleteRecursively(tmp);
        }
        return samples.result();
    }

    /** Live-array and RSS samples taken every {@code max(50, steps / 10)} steps of a soak, and their growth. */
    private static final class Samples {
        private final NDManager system = NDManager.newBaseManager().getParentManager(); // root: all live arrays
        private final long every;
        private final String label;
        private final long t0 = System.nanoTime();
        private final List<Long> at = new ArrayList<>();
        private final List<Integer> live = new ArrayList<>();
        private final List<Double> rss = new ArrayList<>();

        Samples(int steps, String label) {
            this.every = Math.max(50, steps / 10);
            this.label = label;
        }

        /** Samples after a step, when one is due. */
        void onStep(long step) {
            if (step % every == 0) {
                System.gc();
                at.add(step);
                live.add(system.getManagedArrays().size());
                rss.add(rssMb());
                System.out.printf("%s %d: %d live NDArrays, RSS %.1f MB%n", label, step, live.get(live.size() - 1),
                        rss.get(rss.size() - 1));
            }
        }

        /** The figures, growth measured after warm-up: from the second sample on (the first includes allocator
         * and JIT warm-up). */
        Result result() {
            double seconds = (System.nanoTime() - t0) / 1e9;
            int first = at.size() > 2 ? 1 : 0;
            int last = at.size() - 1;
            double perK = slope(at.subList(first, last + 1), rss.subList(first, last + 1)) * 1000.0;
            return new Result(at.get(last), at, live, rss, live.get(last) - live.get(first), perK, seconds);
        }
    }

    /**
     * Runs the soak in world-model mode: a small action-conditioned predictor trains on the {@link DiscWorld}
     * episodes through the full {@link WorldModelTrainer} loop (frames read and encoded by a frozen tiny encoder at
     * every step, teacher forcing + rollout, AdamW, checkpoints, metrics), sampled as {@link #run(int)} does.
     *
     * @param steps training steps (at least 100)
     * @return the figures
     * @throws IOException if the episodes or the run directory cannot be written
     */
    public static Result runWorldModel(int steps) throws IOException {
        if (steps < 100) {
            throw new IllegalArgumentException("steps must be >= 100, got " + steps);
        }
        Path tmp = Files.createTempDirectory("jepa4j-world-soak");
        DiscWorld.write(tmp.resolve("episodes"), new DiscWorld.Spec(6, 12, 32, 5, 4, 3));
        VitConfig encoder = VitConfig.builder().setWidth(32).setDepth(1).setNumHeads(2).optFrames(2)
                .optTubeletSize(2).optImageSize(32).optPatchSize(16).optPositionKind(PositionKind.ROPE_3D).build();
        WorldTrainConfig cfg = WorldTrainConfig.defaultConfig().withOverrides(List.of("data.clip_frames=4",
                "data.batch_size=2", "model.predictor_embed_dim=32", "model.depth=1", "model.num_heads=2",
                "model.num_frames=16", "optimization.ipe=100", "optimization.epochs=" + Math.max(1, steps / 100),
                "meta.device=cpu", "meta.checkpoint_every_steps=500", "logging.progress_bar=false",
                "logging.log_freq=100000", "logging.plot_freq=0"));
        Samples samples = new Samples(steps, "world step");
        try (FrameEncoder enc = FrameEncoder.untrained(encoder, 1, Device.cpu())) {
            WorldModelTrainer.builder().setData(tmp.resolve("episodes")).setFrameEncoder(enc)
                    .setRunDirectory(tmp.resolve("run")).optConfig(cfg).optListener(m -> samples.onStep(m.step()))
                    .build().fit();
        } finally {
            deleteRecursively(tmp);
        }
        return samples.result();
    }

    /** Least-squares slope of {@code y} over {@code x} (0 for fewer than two points). */
    static double slope(List<Long> x, List<Double> y) {
        int n = x.size();
        if (n < 2) {
            return 0;
        }
        double mx = x.stream().mapToDouble(Long::doubleValue).average().orElse(0);
        double my = y.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x.get(i) - mx) * (y.get(i) - my);
            sxx += (x.get(i) - mx) * (x.get(i) - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * Entry point.
     *
     * @param args optional step count (default 3000; 2000 in world mode), then {@code world} for the world-model
     *     mode
     * @throws IOException if files cannot be written
     */
    public static void main(String[] args) throws IOException {
        boolean world = args.length > 1 && args[1].equals("world");
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : world ? 2000 : 3000;
        Result r = world ? runWorldModel(steps) : run(steps);
        System.out.printf("%d steps in %.0f s: live NDArrays %+d after warm-up, RSS %+.1f MB per 1000 steps%n",
                r.steps(), r.seconds(), r.liveArrayGrowth(), r.rssGrowthMbPer1000Steps());
    }
}
