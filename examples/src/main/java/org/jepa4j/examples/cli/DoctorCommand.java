package org.jepa4j.examples.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.core.tensor.Autograd;
import org.jepa4j.train.Devices;
import org.jepa4j.video.decode.MediaProbe;
import org.jepa4j.video.synthetic.SyntheticVideos;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j doctor}: what a user needs to debug a setup (Java, DJL and PyTorch versions, where libtorch was
 * loaded from, the devices DJL sees, the environment variables that steer DJL and OpenMP, the FFmpeg build), then
 * a short self-test with one pass/fail line per check: a forward/backward pass of a tiny encoder and one float16
 * matmul on the chosen device, and one frame decoded by FFmpeg. Exit code 0 when every check passes, 1 otherwise.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print the setup (Java, DJL, PyTorch and where it was loaded from, devices, environment, FFmpeg) and run "
                    + "a 2-second self-test with one PASS/FAIL line per check.",
            "Exit code 0 when every check passes, 1 otherwise. See docs/troubleshooting.md."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j doctor",
            "  jepa4j doctor --device gpu:0"
        })
public final class DoctorCommand implements Callable<Integer> {

    /** Environment variables and system properties that change how DJL, libtorch and OpenMP run. */
    static final List<String> ENVIRONMENT = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR",
            "PYTORCH_PRECXX11", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH",
            "OMP_NUM_THREADS", "OMP_WAIT_POLICY", "MKL_NUM_THREADS", "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE");
    /** System properties read by DJL's PyTorch engine and by jepa4j. */
    static final List<String> PROPERTIES = List.of("ai.djl.offline", "ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads", "ai.djl.pytorch.graph_optimizer", "jepa4j.adamw",
            "jepa4j.attention");

    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "Device of the self-test: cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    /** One self-test outcome. */
    private record Check(String name, boolean passed, String detail) {
    }

    @Override
    public Integer call() {
        DeviceOption.check(spec.commandLine(), device);
        PrintWriter o = spec.commandLine().getOut();
        o.println("jepa4j doctor");
        o.printf(Locale.ROOT, "  java        %s (%s), %s%n", System.getProperty("java.version"),
                System.getProperty("java.vendor"), System.getProperty("java.home"));
        o.printf(Locale.ROOT, "  os          %s %s (%s), %d cores, max heap %d MiB%n", System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        List<Check> checks = new ArrayList<>();
        Engine engine = null;
        try {
            engine = Engine.getInstance();
            o.printf(Locale.ROOT, "  djl         %s, engine %s %s%n", Engine.getDjlVersion(), engine.getEngineName(),
                    engine.getVersion());
            o.printf(Locale.ROOT, "  libtorch    %s (from %s)%n", LibUtils.getVersion(), LibUtils.getLibtorchPath());
            checks.add(new Check("engine", true, engine.getEngineName() + " " + engine.getVersion()));
        } catch (RuntimeException | LinkageError e) {
            checks.add(new Check("engine", false, "DJL's PyTorch engine did not load: " + e));
        }
        printDevices(o, engine);
        o.println("  environment");
        for (String name : ENVIRONMENT) {
            String v = System.getenv(name);
            o.printf(Locale.ROOT, "    %-38s %s%n", name, v == null ? "(not set)" : v);
        }
        for (String name : PROPERTIES) {
            String v = System.getProperty(name);
            o.printf(Locale.ROOT, "    -D%-36s %s%n", name, v == null ? "(not set)" : v);
        }
        try {
            o.printf(Locale.ROOT, "  ffmpeg      %s (avcodec %s), configured: %s%n",
                    avutil.av_version_info().getString(), version(avcodec.avcodec_version()),
                    abbreviate(avcodec.avcodec_configuration().getString(), 160));
        } catch (RuntimeException | LinkageError e) {
            checks.add(new Check("ffmpeg", false, "the FFmpeg natives did not load: " + e));
        }
        o.println("  self-test");
        o.flush();
        if (engine != null) {
            Device dev = null;
            try {
                dev = Devices.resolve(device).get(0);
            } catch (RuntimeException e) {
                checks.add(new Check("device " + device, false, e.getMessage()));
            }
            if (dev != null) {
                checks.add(forwardBackward(dev));
                checks.add(halfMatmul(dev));
            }
        }
        checks.add(decodeOneFrame());
        boolean ok = true;
        for (Check c : checks) {
            o.printf(Locale.ROOT, "    %-4s %-22s %s%n", c.passed() ? "PASS" : "FAIL", c.name(), c.detail());
            ok &= c.passed();
        }
        o.println(ok ? "jepa4j doctor: all checks passed"
                : "jepa4j doctor: some checks FAILED (see docs/troubleshooting.md)");
        o.flush();
        return ok ? 0 : 1;
    }

    private static void printDevices(PrintWriter o, Engine engine) {
        if (engine == null) {
            return;
        }
        int gpus = engine.getGpuCount();
        o.printf(Locale.ROOT, "  devices     cpu%s%n", gpus == 0 ? " (no GPU visible to DJL)" : " + " + gpus + " GPU(s)");
        if (gpus > 0) {
            o.printf(Locale.ROOT, "  cuda        %s%n", CudaUtils.getCudaVersionString());
            for (int i = 0; i < gpus; i++) {
                MemoryUsage mem = CudaUtils.getGpuMemory(Device.gpu(i));
                o.printf(Locale.ROOT, "    gpu:%d     compute capability %s, memory %d MiB free of %d MiB%n", i,
                        CudaUtils.getComputeCapability(i), (mem.getMax() - mem.getUsed()) >> 20, mem.getMax() >> 20);
            }
        }
    }

    /** A tiny encoder's forward and backward pass: the gradient of every parameter must be finite. */
    private static Check forwardBackward(Device dev) {
        long t0 = System.nanoTime();
        VitConfig cfg = VitConfig.builder().setWidth(32).setDepth(1).setNumHeads(2).optPatchSize(8).optFrames(2)
                .optTubeletSize(2).optImageSize(16).build();
        try (NDManager m = NDManager.newBaseManager(dev)) {
            VisionTransformer enc = new VisionTransformer(cfg, m, 0L);
            NDArray x = m.randomNormal(new Shape(1, 3, 2, 16, 16)); // [B, C, T, H, W]
            try (Autograd ignored = Autograd.record()) {
                NDArray loss = enc.forward(x).square().mean(); // []
                Autograd.backward(loss);
            }
            for (NDArray p : enc.parameters().values()) {
                NDArray g = p.getGradient();
                if (!g.isInfinite().logicalOr(g.isNaN()).none().getBoolean()) {
                    return new Check("forward/backward", false, "non-finite gradient on " + dev);
                }
            }
            return new Check("forward/backward", true, String.format(Locale.ROOT, "tiny encoder on %s, %.0f ms", dev,
                    (System.nanoTime() - t0) / 1e6));
        } catch (RuntimeException | LinkageError e) {
            return new Check("forward/backward", false, dev + ": " + e);
        }
    }

    /** One float16 matmul, compared with the float32 result. */
    private static Check halfMatmul(Device dev) {
        try (NDManager m = NDManager.newBaseManager(dev)) {
            NDArray a = m.randomUniform(-1, 1, new Shape(64, 64)); // [64, 64]
            NDArray b = m.randomUniform(-1, 1, new Shape(64, 64));
            NDArray half = a.toType(DataType.FLOAT16, false).matMul(b.toType(DataType.FLOAT16, false))
                    .toType(DataType.FLOAT32, false);
            float err = half.sub(a.matMul(b)).abs().max().getFloat();
            boolean ok = err < 0.1f;
            return new Check("float16 matmul", ok, String.format(Locale.ROOT, "64x64 on %s, max |fp16 - fp32| %.2g",
                    dev, err));
        } catch (RuntimeException | LinkageError e) {
            return new Check("float16 matmul", false, dev + ": " + e);
        }
    }

    /** Writes one tiny synthetic video and decodes its first frame with FFmpeg. */
    private static Check decodeOneFrame() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jepa4j-doctor");
            Path video = SyntheticVideos.write(dir, new SyntheticVideos.Spec(1, 4, 16, 8, 1, 1)).get(0);
            MediaProbe.Result r = new MediaProbe().probe(video);
            return new Check("decode one frame", r.readable(), r.readable() ? "FFmpeg wrote and read " + r.info()
                    : r.reason());
        } catch (IOException | RuntimeException | LinkageError e) {
            return new Check("decode one frame", false, e.toString());
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary folder left behind is harmless
        }
    }

    private static String version(int packed) {
        return (packed >> 16) + "." + ((packed >> 8) & 0xFF) + "." + (packed & 0xFF);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
