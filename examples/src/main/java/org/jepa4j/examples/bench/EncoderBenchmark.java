package org.jepa4j.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Random;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.PredictorConfig;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;

/**
 * Times forward + backward of a JEPA context encoder and predictor (ViT-S/16 video by default) and compares the
 * achieved GFLOP/s, counted analytically from the matmuls, with a large fp32 matmul measured in the same run.
 *
 * <p>Run: {@code java -cp ... org.jepa4j.examples.bench.EncoderBenchmark [batch] [frames] [size] [steps] [positions]
 * [threads]}. The FLOPs counted are those of the matmuls (linear layers, patch embedding, attention products),
 * forward + backward, so the figure is comparable with the matmul's. Besides wall time it reports process CPU
 * time: on a machine shared with other jobs the CPU-time ratio is the stable one. With 2+ intra-op threads
 * on an oversubscribed machine every small op waits for its sibling thread, so the wall figures collapse;
 * use {@code threads = 1} there.
 */
public final class EncoderBenchmark {

    /**
     * Figures of one benchmark run.
     *
     * @param description model and input
     * @param contextTokens context tokens per sample
     * @param targetTokens target tokens per sample
     * @param gflopPerStep analytic matmul GFLOP of one forward + backward step
     * @param secondsPerStep median wall time of a step
     * @param modelGflops achieved GFLOP/s of the model step (at the median time)
     * @param matmulGflops median GFLOP/s of a 2048^3 fp32 matmul, measured right before and right after every step
     * @param ratio median over steps of (step GFLOP/s / the mean GFLOP/s of the matmuls around it)
     * @param cpuSecondsPerStep median process CPU time of a step (robust when other processes share the cores)
     * @param modelGflopsPerCpuSecond GFLOP per process CPU second of the model step
     * @param matmulGflopsPerCpuSecond GFLOP per process CPU second of the matmul
     * @param cpuRatio median over steps of the same ratio in CPU time
     */
    public record Result(String description, int contextTokens, int targetTokens, double gflopPerStep,
            double secondsPerStep, double modelGflops, double matmulGflops, double ratio, double cpuSecondsPerStep,
            double modelGflopsPerCpuSecond, double matmulGflopsPerCpuSecond, double cpuRatio) {

        @Override
        public String toString() {
            return String.format("%s%n  context %d + target %d tokens/sample, %.1f GFLOP/step%n"
                    + "  wall: %.3f s/step, model %.1f GFLOP/s, fp32 matmul %.1f GFLOP/s, ratio %.2f%n"
                    + "  cpu:  %.3f cpu-s/step, model %.1f GFLOP/cpu-s, fp32 matmul %.1f GFLOP/cpu-s, ratio %.2f",
                    description, contextTokens, targetTokens, gflopPerStep, secondsPerStep, modelGflops, matmulGflops,
                    ratio, cpuSecondsPerStep, modelGflopsPerCpuSecond, matmulGflopsPerCpuSecond, cpuRatio);
        }
    }

    /** Process CPU time in seconds (all threads), or NaN where the JVM does not report it. */
    static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private EncoderBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param batch clips per step
     * @param frames frames per clip (tubelet 2)
     * @param size frame height and width (patch 16)
     * @param steps timed steps (after 2 warm-up steps)
     * @param positions position encoding of encoder and predictor
     * @return the measured figures
     */
    public static Result run(int batch, int frames, int size, int steps, PositionKind positions) {
        VitConfig vit = VitConfig.small().optFrames(frames).optImageSize(size).optPositionKind(positions).build();
        PredictorConfig pc = PredictorConfig.builder(vit).setWidth(384).setDepth(12).setNumHeads(12).build();
        int n = vit.numTokens();
        int nc = Math.max(1, Math.round(n * 0.37f)); // V-JEPA short-range masks keep ~37% as context
        int nt = n - nc;
        double gflop = stepFlops(vit, pc, batch, nc, nt) / 1e9;
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] wallRatios = new double[steps];
            double[] cpuRatios = new double[steps];
            double[] matmulWall = new double[steps];
            double[] matmulCpu = new double[steps];
            VisionTransformer encoder = new VisionTransformer(vit, manager, 1);
            Predictor predictor = new Predictor(pc, manager, 2);
            Random random = new Random(3);
            double[] times = new double[steps];
            double[] cpuTimes = new double[steps];
            double[] mmAfter = matmulGflops(manager, 2);
            for (int i = -2; i < steps; i++) {
                // the baseline brackets every step (the previous step's "after" is this one's "before"): the speed of
                // shared cores drifts within seconds, so a ratio is only fair against matmuls timed right next to it
                double[] mmBefore = mmAfter;
                try (NDManager step = manager.newSubManager()) {
                    NDArray video = step.randomNormal(new Shape(batch, 3, frames, size, size));
                    long[][] ids = masks(random, batch, n, nc);
                    NDArray ctx = step.create(ids[0], new Shape(batch, nc));
                    NDArray tgt = step.create(ids[1], new Shape(batch, nt));
                    NDArray target = step.randomNormal(new Shape(batch, nt, vit.width()));
                    long t0 = System.nanoTime();
                    double c0 = cpuSeconds();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray z = encoder.forward(video, ctx); // [B, nc, D]
                        NDArray pred = predictor.forward(z, ctx, tgt, 0); // [B, nt, D]
                        gc.backward(pred.sub(target).abs().mean());
                    }
                    double stepSeconds = (System.nanoTime() - t0) / 1e9;
                    double stepCpu = cpuSeconds() - c0;
                    mmAfter = matmulGflops(manager, 2);
                    if (i >= 0) {
                        times[i] = stepSeconds;
                        cpuTimes[i] = stepCpu;
                        matmulWall[i] = (mmBefore[0] + mmAfter[0]) / 2;
                        matmulCpu[i] = (mmBefore[1] + mmAfter[1]) / 2;
                        wallRatios[i] = gflop / times[i] / matmulWall[i];
                        cpuRatios[i] = gflop / cpuTimes[i] / matmulCpu[i];
                    }
                }
            }
            double seconds = median(times);
            double cpu = median(cpuTimes);
            String what = String.format("ViT-S/16 + predictor (384 x 12), %s, batch %d x %d frames x %d px (%d tokens),"
                    + " %s", positions, batch, frames, size, n, threads());
            return new Result(what, nc, nt, gflop, seconds, gflop / seconds, median(matmulWall), median(wallRatios), cpu,
                    gflop / cpu, median(matmulCpu), median(cpuRatios));
        }
    }

    static String threads() {
        String t = System.getProperty("ai.djl.pytorch.num_threads");
        return t == null ? "engine-default threads" : t + " intra-op thread(s)";
    }

    /** Analytic matmul FLOPs of forward + backward (backward = 2 x forward; the patch matmul needs no input grad). */
    static double stepFlops(VitConfig vit, PredictorConfig pc, int batch, int nc, int nt) {
        double patch = 2.0 * nc * vit.inChannels() * vit.tubeletSize() * vit.patchSize() * vit.patchSize() * vit.width();
        double encoder = vit.depth() * blockFlops(nc, vit.width(), vit.mlpHidden());
        int np = nc + nt;
        double predictor = 2.0 * nc * vit.width() * pc.width() + pc.depth() * blockFlops(np, pc.width(), pc.mlpHidden())
                + 2.0 * nt * pc.width() * vit.width();
        return batch * (2 * patch + 3 * (encoder + predictor));
    }

    /** Forward matmul FLOPs of one block over n tokens. */
    static double blockFlops(double n, double d, double hidden) {
        return 2 * n * d * (3 * d + d + 2 * hidden) + 4 * n * n * d;
    }

    /** Context ids (sorted, ~nc random tokens) and the complementary target ids per sample. */
    private static long[][] masks(Random random, int batch, int n, int nc) {
        long[] ctx = new long[batch * nc];
        long[] tgt = new long[batch * (n - nc)];
        for (int b = 0; b < batch; b++) {
            boolean[] keep = new boolean[n];
            for (int k = 0; k < nc;) {
                int id = random.nextInt(n);
                if (!keep[id]) {
                    keep[id] = true;
                    k++;
                }
            }
            int c = 0;
            int t = 0;
            for (int id = 0; id < n; id++) {
                if (keep[id]) {
                    ctx[b * nc + c++] = id;
                } else {
                    tgt[b * (n - nc) + t++] = id;
                }
            }
        }
        return new long[][] {ctx, tgt};
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Median GFLOP per wall second and per process CPU second of a 2048 x 2048 fp32 matmul. */
    static double[] matmulGflops(NDManager manager, int reps) {
        int size = 2048;
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(size, size));
            NDArray b = m.randomNormal(new Shape(size, size));
            a.matMul(b).close();
            double[] t = new double[reps];
            double[] cpu = new double[reps];
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                double c0 = cpuSeconds();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // wait for the result
                }
                t[i] = (System.nanoTime() - t0) / 1e9;
                cpu[i] = cpuSeconds() - c0;
            }
            double gflop = 2.0 * size * size * size / 1e9;
            return new double[] {gflop / median(t), gflop / median(cpu)};
        }
    }

    /**
     * Prints the figures.
     *
     * @param args optional: batch (8), frames (8), size (112), steps (5), positions (ROPE_3D), intra-op threads
     *     (engine default)
     */
    public static void main(String[] args) {
        if (args.length > 5) {
            // must be set before the engine starts
            System.setProperty("ai.djl.pytorch.num_threads", args[5]);
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 112;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        PositionKind positions = args.length > 4 ? PositionKind.valueOf(args[4]) : PositionKind.ROPE_3D;
        System.out.println(run(batch, frames, size, steps, positions));
    }
}
