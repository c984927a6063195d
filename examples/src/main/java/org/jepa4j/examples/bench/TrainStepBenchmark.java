package org.jepa4j.examples.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jepa4j.train.step.JepaModel;
import org.jepa4j.train.step.JepaStep;
import org.jepa4j.train.step.MicroBatch;
import org.jepa4j.train.TrainingData;
import org.jepa4j.train.config.Precision;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.precision.PrecisionPolicy;
import org.jepa4j.video.loader.Batch;
import org.jepa4j.video.loader.ClipLoader;
import org.jepa4j.video.loader.EpochIterator;
import org.jepa4j.video.mask.MaskSet;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.SyntheticVideos;

/**
 * Times the full V-JEPA training step (ViT-S/16 video encoder, predictor depth 12 width 384, reference short- and
 * long-range masks, EMA target, AdamW, clipping) fed by the real {@link ClipLoader} from MP4 files, per precision
 * policy ({@link JepaStep} exactly as the trainer runs it: fp32, tf32, fp16-mixed with loss scaling and float32
 * masters), and prints the step time, clips/s, achieved GFLOP/s (matmul FLOPs counted from the actual mask sizes),
 * the ratio to a large fp32 matmul measured in the same run, the share of the step time spent waiting for data and,
 * with several policies, each policy's speed-up over the first.
 *
 * <p>Run: {@code java -cp ... org.jepa4j.examples.bench.TrainStepBenchmark [batch] [frames] [size] [steps] [videoFolder|-]
 * [policies]} (defaults 4, 16, 112, 6, synthetic videos written to a temporary folder, {@code fp32}; policies is a
 * comma-separated list of {@code meta.precision} values, e.g. {@code fp32,fp16-mixed}). TF32 is decided by libtorch
 * once per process: time it in its own JVM (or export {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1}).
 */
public final class TrainStepBenchmark {

    /**
     * Figures of one run.
     *
     * @param description model, input and precision policy
     * @param secondsPerStep mean wall time of a step, data wait included
     * @param clipsPerSecond clips trained per second
     * @param gflopPerStep matmul GFLOP of one step (target forward, encoder and predictor forward + backward)
     * @param gflops achieved GFLOP/s
     * @param matmulGflops median GFLOP/s of a 2048 x 2048 fp32 matmul, measured next to every step
     * @param ratio median over steps of (step GFLOP/s / adjacent matmul GFLOP/s): robust to load that changes
     *     between steps on a shared machine
     * @param dataWaitShare fraction of the wall time spent waiting for the loader
     * @param cpuRatio median over steps of the same ratio in GFLOP per process CPU second (the step's CPU time
     *     includes the loader's decoding threads, so this figure slightly understates the model)
     */
    public record Result(String description, double secondsPerStep, double clipsPerSecond, double gflopPerStep,
            double gflops, double matmulGflops, double ratio, double dataWaitShare, double cpuRatio) {

        @Override
        public String toString() {
            return String.format("%s%n  %.3f s/step, %.2f clips/s, %.1f GFLOP/step, %.1f GFLOP/s; fp32 matmul %.1f "
                    + "GFLOP/s; ratio %.2f (cpu-time ratio %.2f); data wait %.1f%% of the step time", description,
                    secondsPerStep, clipsPerSecond, gflopPerStep, gflops, matmulGflops, ratio, cpuRatio,
                    100 * dataWaitShare);
        }
    }

    private TrainStepBenchmark() {
    }

    /**
     * Runs the benchmark in fp32 on the CPU (or the default device DJL picks for {@code meta.device: auto}).
     *
     * @param batch clips per step
     * @param frames frames per clip (tubelet 2)
     * @param size crop size (patch 16)
     * @param steps timed steps (after 2 warm-up steps)
     * @param videos folder of videos, or null to write synthetic ones
     * @return the figures
     * @throws IOException if the synthetic videos cannot be written
     */
    public static Result run(int batch, int frames, int size, int steps, Path videos) throws IOException {
        return run(batch, frames, size, steps, videos, Precision.FP32);
    }

    /**
     * Runs the benchmark in a precision policy on the default device of {@code meta.device: auto}.
     *
     * @param batch clips per step
     * @param frames frames per clip (tubelet 2)
     * @param size crop size (patch 16)
     * @param steps timed steps (after 2 warm-up steps)
     * @param videos folder of videos, or null to write synthetic ones
     * @param precision the {@code meta.precision} to time (auto resolves for the device)
     * @return the figures
     * @throws IOException if the synthetic videos cannot be written
     */
    public static Result run(int batch, int frames, int size, int steps, Path videos, Precision precision)
            throws IOException {
        Path folder = videos;
        if (folder == null) {
            folder = Files.createTempDirectory("jepa4j-bench-videos");
            writeSyntheticVideos(folder, batch, frames, size);
        }
        TrainConfig cfg = TrainConfig.preset("vjepa_vitl16", List.of(
                "model.model_name=vit_small", "model.pred_num_heads=12", "data.batch_size=" + batch,
                "data.num_frames=" + frames, "data.crop_size=" + size, "data.num_workers=2", "meta.device=auto",
                "meta.precision=" + precision.yamlName(), "logging.progress_bar=false"));
        VideoSource source = VideoSource.fromFolder(folder);
        Device device = org.jepa4j.train.Devices.resolve("auto").get(0);
        PrecisionPolicy policy = JepaModel.policyOf(cfg, device);
        policy.prepareProcess(); // TF32: before the first matmul of the process
        double[] wallRatios = new double[steps];
        double[] cpuRatios = new double[steps];
        double[] matmulWall = new double[steps];
        try (ClipLoader loader = TrainingData.trainLoader(cfg, source, 1);
                JepaModel model = JepaModel.create(cfg, device, 1, policy);
                JepaStep step = JepaStep.builder().setModel(model).optLoss(cfg.loss())
                        .optOptimization(cfg.optimization()).build()) {
            EpochIterator it = loader.epoch(0);
            int epoch = 0;
            double flops = 0;
            long wait = 0;
            long busy = 0;
            for (int s = 0; s < steps + 2; s++) {
                double[] mm = matmulGflops(device); // next to every step: the load of shared cores varies
                long w = System.nanoTime();
                double c = cpuSeconds();
                if (!it.hasNext()) {
                    it = loader.epoch(++epoch);
                }
                try (Batch b = it.next()) {
                    long waited = System.nanoTime() - w;
                    double stepFlops = stepFlops(cfg, b.size(), b.masks());
                    step.step(List.of(new MicroBatch(b.video(), b.masks())), 1e-4, 0.04, 0.999, true);
                    if (s >= 2) {
                        long elapsed = System.nanoTime() - w;
                        wait += waited;
                        busy += elapsed;
                        flops += stepFlops;
                        matmulWall[s - 2] = mm[0];
                        wallRatios[s - 2] = stepFlops / 1e9 / (elapsed / 1e9) / mm[0];
                        cpuRatios[s - 2] = stepFlops / 1e9 / (cpuSeconds() - c) / mm[1];
                    }
                }
            }
            double seconds = busy / 1e9;
            double gflopPerStep = flops / steps / 1e9;
            double perStep = seconds / steps;
            double gflops = gflopPerStep / perStep;
            String desc = String.format("V-JEPA train step, ViT-S/16 + predictor 12x384, %d clips x %d frames x %d px "
                    + "(%d tokens), %s, %s, real loader (2 workers) over %d MP4s", batch, frames, size,
                    cfg.data().numTokens(), device, policy, source.size());
            return new Result(desc, perStep, batch / perStep, gflopPerStep, gflops, median(matmulWall),
                    median(wallRatios), wait / 1e9 / seconds, median(cpuRatios));
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Process CPU time in seconds (all threads), or NaN where the JVM does not report it. */
    private static double cpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static void writeSyntheticVideos(Path folder, int batch, int frames, int size) throws IOException {
        int side = Math.max(16, (int) Math.round(size * 256.0 / 224.0 / 2) * 2);
        SyntheticVideos.write(folder, new SyntheticVideos.Spec(Math.max(8, batch * 4), frames * 4 + 8, side, 30, 3, 1));
    }

    /** Matmul FLOPs of one step: target encoder forward once, encoder and predictor forward + backward per set. */
    static double stepFlops(TrainConfig cfg, int batch, List<MaskSet> masks) {
        int d = cfg.model().embedDim();
        int depth = cfg.model().depth();
        double hidden = d * cfg.model().mlpRatio();
        int pd = cfg.model().predEmbedDim();
        int pdepth = cfg.model().predDepth();
        double phidden = pd * cfg.model().mlpRatio();
        int n = cfg.data().numTokens();
        double patch = 3.0 * cfg.data().tubeletSize() * cfg.data().patchSize() * cfg.data().patchSize();
        double total = batch * (depth * block(n, d, hidden) + 2.0 * n * d * patch); // target forward
        for (MaskSet m : masks) {
            int nc = m.contextLength();
            int nt = m.targetLength();
            double enc = depth * block(nc, d, hidden) + 2.0 * nc * d * patch;
            double pred = pdepth * block(nc + nt, pd, phidden) + 2.0 * nc * d * pd + 2.0 * nt * pd * d;
            total += 3 * batch * (enc + pred); // forward + backward (2x forward)
        }
        return total;
    }

    private static double block(double n, double d, double hidden) {
        return 2 * n * d * 3 * d + 4 * n * n * d + 2 * n * d * d + 4 * n * d * hidden;
    }

    /** GFLOP per wall second and per process CPU second of a 2048 x 2048 fp32 matmul (median of 3 after a warm-up). */
    static double[] matmulGflops(Device device) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            int k = 2048;
            NDArray a = m.randomNormal(new Shape(k, k));
            NDArray b = m.randomNormal(new Shape(k, k));
            a.matMul(b).close();
            double[] t = new double[3];
            double[] cpu = new double[3];
            for (int i = 0; i < t.length; i++) {
                long s = System.nanoTime();
                double c = cpuSeconds();
                NDArray r = a.matMul(b);
                r.getFloat(0, 0); // wait for the result
                t[i] = (System.nanoTime() - s) / 1e9;
                cpu[i] = cpuSeconds() - c;
                r.close();
            }
            double gflop = 2.0 * k * k * k / 1e9;
            return new double[] {gflop / median(t), gflop / median(cpu)};
        }
    }

    /**
     * Entry point.
     *
     * @param args optional: batch, frames, size, steps, video folder ({@code -}: synthetic), policies
     */
    public static void main(String[] args) throws IOException {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 112;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        Path videos = args.length > 4 && !args[4].equals("-") ? Path.of(args[4]) : null;
        List<Precision> policies = new ArrayList<>();
        for (String p : (args.length > 5 ? args[5] : "fp32").split(",")) {
            policies.add(Precision.fromYamlName(p.trim()));
        }
        if (videos == null) {
            videos = Files.createTempDirectory("jepa4j-bench-videos");
            writeSyntheticVideos(videos, batch, frames, size);
        }
        Result first = null;
        for (Precision p : policies) {
            Result r = run(batch, frames, size, steps, videos, p);
            System.out.println(r);
            if (first == null) {
                first = r;
            } else {
                System.out.printf("  %s vs %s: %.2fx step speed%n", p.yamlName(), policies.get(0).yamlName(),
                        first.secondsPerStep() / r.secondsPerStep());
            }
        }
    }
}
