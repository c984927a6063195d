package org.jepa4j.examples.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.model.Block;
import org.jepa4j.core.model.Module;
import org.jepa4j.core.tensor.ParameterType;
import org.jepa4j.train.config.Precision;
import org.jepa4j.train.optim.AdamW;
import org.jepa4j.train.optim.Gradients;
import org.jepa4j.train.precision.MasterWeights;
import org.jepa4j.train.precision.MixedPrecisionOptimizer;
import org.jepa4j.train.precision.PrecisionPolicy;
import org.jepa4j.train.precision.Upcast;

/**
 * Step time of a stack of transformer blocks per precision policy on the current device (a GPU when DJL sees one,
 * else the CPU), with ratios against fp32 measured in the same run.
 *
 * <p>GPU shape: 12 ViT-B blocks (width 768, 12 heads, MLP 3072) on 4 x 1568 tokens (a 16x224x224 clip, tubelet 2,
 * patch 16). CPU shape: 2 ViT-S blocks (384, 6 heads) on 2 x 196 tokens, because float16 kernels on CPUs are slow.
 * Each policy is timed for forward+backward alone and for a whole step (forward, backward, loss scaling, un-scale
 * and check, AdamW on float32 masters, copy back). The loss is a float32 reduction of the blocks' output, as in
 * training. TF32 is decided by libtorch once per process, so the tf32 figure comes from a child JVM started with
 * {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} (GPU only by default: TF32 does not change CPU kernels).
 *
 * <p>Run: {@code java -cp <classpath> org.jepa4j.examples.bench.PrecisionBenchmark [--policies fp32,tf32,fp16-mixed]
 * [--iterations N]}.
 */
public final class PrecisionBenchmark {

    private static final String RESULT_PREFIX = "PRECISION_BENCH_RESULT ";

    private PrecisionBenchmark() {
    }

    /**
     * Timing of one policy.
     *
     * @param precision the policy
     * @param fwdBwdMs median forward+backward time, ms
     * @param stepMs median full training step time, ms
     * @param note where it was measured (e.g. "child JVM")
     */
    public record PolicyTiming(Precision precision, double fwdBwdMs, double stepMs, String note) {
    }

    /**
     * The benchmark's outcome.
     *
     * @param device the device measured
     * @param shape the workload
     * @param timings per policy, fp32 first
     */
    public record Result(String device, String shape, List<PolicyTiming> timings) {

        /**
         * fp32 forward+backward time divided by this policy's (>1: faster than fp32); NaN without fp32.
         *
         * @param t one policy's timing
         * @return the speed-up over fp32 of forward+backward
         */
        public double speedup(PolicyTiming t) {
            return timings.stream().filter(x -> x.precision() == Precision.FP32).findFirst()
                    .map(f -> f.fwdBwdMs() / t.fwdBwdMs()).orElse(Double.NaN);
        }

        /**
         * As {@link #speedup} for whole steps.
         *
         * @param t one policy's timing
         * @return the speed-up over fp32 of whole steps
         */
        public double stepSpeedup(PolicyTiming t) {
            return timings.stream().filter(x -> x.precision() == Precision.FP32).findFirst()
                    .map(f -> f.stepMs() / t.stepMs()).orElse(Double.NaN);
        }
    }

    /** The workload for a device. */
    private record Workload(int blocks, int width, int heads, int batch, int tokens) {
        static Workload forDevice(Device d) {
            return d.isGpu() ? new Workload(12, 768, 12, 4, 1568) : new Workload(2, 384, 6, 2, 196);
        }

        String describe() {
            return blocks + " blocks x width " + width + " (" + heads + " heads, MLP " + 4 * width + ") on " + batch
                    + " x " + tokens + " tokens";
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param policies the policies to time (tf32 runs in a child JVM)
     * @param iterations timed iterations per policy (after 2 warm-up iterations)
     * @return the timings
     */
    public static Result run(List<Precision> policies, int iterations) {
        Device device = Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        Workload w = Workload.forDevice(device);
        List<PolicyTiming> timings = new ArrayList<>();
        List<Precision> ordered = new ArrayList<>(policies);
        ordered.remove(Precision.FP32);
        ordered.add(0, Precision.FP32);
        for (Precision p : ordered) {
            if (p == Precision.TF32) {
                timings.add(runChild(p, iterations));
            } else if (p != Precision.AUTO) {
                timings.add(measure(p, device, w, iterations, "in process"));
            }
        }
        return new Result(device.toString(), w.describe(), timings);
    }

    private static PolicyTiming measure(Precision precision, Device device, Workload w, int iterations,
            String note) {
        PrecisionPolicy policy = PrecisionPolicy.resolve(precision, device);
        policy.prepareProcess();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Random random = new Random(1);
            List<Block> blocks = new ArrayList<>();
            try (ParameterType ignored = policy.computeParameters()) {
                for (int i = 0; i < w.blocks(); i++) {
                    blocks.add(new Block(manager, random, w.width(), w.heads(), 4 * w.width(), true, 1e-6f));
                }
            }
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (int i = 0; i < blocks.size(); i++) {
                Module b = blocks.get(i);
                b.collectParameters("blocks." + i + ".", params);
            }
            NDArray x = manager.randomNormal(new Shape(w.batch(), w.tokens(), w.width()))
                    .toType(policy.computeType(), false); // [B, N, D]
            NDArray probe = params.get("blocks.0.norm1.bias");
            try (MasterWeights weights = MasterWeights.fromCompute(params);
                    MixedPrecisionOptimizer opt = MixedPrecisionOptimizer.create(weights, AdamW.builder(),
                            policy.newLossScaler())) {
                double[] fwdBwd = new double[iterations];
                double[] step = new double[iterations];
                for (int i = -2; i < iterations; i++) {
                    try (NDScope scope = new NDScope()) {
                        long t0 = System.nanoTime();
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray h = x;
                            for (Block b : blocks) {
                                h = b.forward(h, null); // [B, N, D]
                            }
                            NDArray loss = Upcast.differentiable(h).square().mean(); // float32 reduction
                            gc.backward(opt.scaleLoss(loss));
                        }
                        probe.getGradient().sum().toType(DataType.FLOAT32, false).getFloat(); // device sync
                        long t1 = System.nanoTime();
                        opt.step(1e-4, 0.05, 1.0);
                        Gradients.zero(weights.compute());
                        probe.sum().toType(DataType.FLOAT32, false).getFloat(); // device sync
                        long t2 = System.nanoTime();
                        if (i >= 0) {
                            fwdBwd[i] = (t1 - t0) / 1e6;
                            step[i] = (t2 - t0) / 1e6;
                        }
                    }
                }
                return new PolicyTiming(precision, median(fwdBwd), median(step), note);
            }
        }
    }

    private static PolicyTiming runChild(Precision precision, int iterations) {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PrecisionBenchmark.class.getName(), "--child", precision.yamlName(), "--iterations",
                Integer.toString(iterations));
        pb.environment().put(PrecisionPolicy.TF32_ENV, "1");
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            PolicyTiming found = null;
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(RESULT_PREFIX)) {
                        String[] f = line.substring(RESULT_PREFIX.length()).split(" ");
                        found = new PolicyTiming(precision, Double.parseDouble(f[0]), Double.parseDouble(f[1]),
                                "child JVM, " + PrecisionPolicy.TF32_ENV + "=1");
                    }
                }
            }
            int code = p.waitFor();
            if (found == null) {
                throw new IllegalStateException("the " + precision.yamlName() + " child benchmark exited with " + code
                        + " without a result");
            }
            return found;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the child benchmark JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the child benchmark", e);
        }
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Entry point.
     *
     * @param args {@code --policies fp32,tf32,fp16-mixed} (default: fp32 and fp16-mixed, plus tf32 on a GPU),
     *     {@code --iterations N} (default 10 on a GPU, 3 on the CPU)
     */
    public static void main(String[] args) {
        List<Precision> policies = null;
        Integer iterations = null;
        String child = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--policies" -> policies = parsePolicies(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--child" -> child = args[++i];
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; use --policies fp32,tf32,fp16-mixed and --iterations N");
            }
        }
        boolean gpu = Engine.getInstance().getGpuCount() > 0;
        int n = iterations != null ? iterations : (gpu ? 10 : 3);
        if (child != null) {
            Device device = gpu ? Device.gpu() : Device.cpu();
            PolicyTiming t = measure(parsePolicies(child).get(0), device, Workload.forDevice(device), n, "child");
            System.out.println(RESULT_PREFIX + t.fwdBwdMs() + " " + t.stepMs());
            return;
        }
        if (policies == null) {
            policies = gpu ? List.of(Precision.FP32, Precision.TF32, Precision.FP16_MIXED)
                    : List.of(Precision.FP32, Precision.FP16_MIXED);
        }
        Result result = run(policies, n);
        System.out.println("PrecisionBenchmark on " + result.device() + ": " + result.shape() + ", median of " + n
                + " iterations" + (gpu ? "" : " (CPU shape; the GPU shape is 12 ViT-B blocks on 4 x 1568 tokens)"));
        for (PolicyTiming t : result.timings()) {
            System.out.println(String.format(Locale.ROOT,
                    "  %-10s fwd+bwd %9.1f ms (x%.2f vs fp32)   full step %9.1f ms (x%.2f vs fp32)   [%s]",
                    t.precision().yamlName(), t.fwdBwdMs(), result.speedup(t), t.stepMs(), result.stepSpeedup(t),
                    t.note()));
        }
        if (!gpu && !policies.contains(Precision.TF32)) {
            System.out.println("  tf32       not measured: TF32 only changes CUDA matmuls (add --policies ...,tf32 to "
                    + "time the child-JVM path anyway)");
        }
    }

    private static List<Precision> parsePolicies(String csv) {
        List<Precision> out = new ArrayList<>();
        for (String name : csv.split(",")) {
            Precision match = null;
            for (Precision p : Precision.values()) {
                if (p.yamlName().equals(name.trim())) {
                    match = p;
                }
            }
            if (match == null || match == Precision.AUTO) {
                throw new IllegalArgumentException("unknown policy '" + name + "'; use fp32, tf32 or fp16-mixed");
            }
            out.add(match);
        }
        return out;
    }
}
