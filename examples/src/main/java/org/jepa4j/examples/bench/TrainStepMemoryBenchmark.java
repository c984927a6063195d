package org.jepa4j.examples.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jepa4j.train.step.JepaModel;
import org.jepa4j.train.step.JepaStep;
import org.jepa4j.train.step.MicroBatch;
import org.jepa4j.train.step.StepPhases;
import org.jepa4j.train.TrainingData;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.video.mask.MaskSet;

/**
 * Times jepa4j's full training step ({@link JepaStep}, exactly as the trainer runs it) on in-memory random clips,
 * without a loader, and, for V-JEPA, next to a PyTorch twin of the reference step (the {@code vjepa_step_twin.py}
 * resource beside this class, written from facebookresearch/jepa's {@code app/vjepa/train.py} and {@code src/}).
 *
 * <p>The twin runs as a child process ({@code python3}, or {@code $JEPA4J_PYTHON}) when PyTorch is importable; it
 * gets the same shapes, thread count and mask sets, and the two step loops <em>alternate</em> step by step (one
 * jepa4j step, one twin step, ...), so that both see the same load of a shared machine. Figures are medians over
 * the timed steps; then a few more steps of each run with phase timers ({@link StepPhases}) for the per-phase
 * splits.
 *
 * <p>Shapes of the V-JEPA figure (the issue's): ViT-S/16 (6 heads) + predictor depth 12 width 384 (12 heads),
 * sin-cos positions, 4 clips x 16 frames x 112 px (392 tokens), the two reference mask sets, float32. V-JEPA 2:
 * the same with 3D RoPE and sorted predictor tokens. I-JEPA: ViT-S/16 on 8 images of 224 px (196 tokens), one
 * context and four target blocks, smooth L1.
 *
 * <p>Run: {@code java -cp ... org.jepa4j.examples.bench.TrainStepMemoryBenchmark [variant] [steps]} (variant
 * {@code vjepa}, {@code vjepa2}, {@code ijepa} or {@code quick}; default vjepa, 6 steps).
 */
public final class TrainStepMemoryBenchmark {

    /** Environment variable naming the Python interpreter of the twin (default {@code python3}). */
    public static final String PYTHON_ENV = "JEPA4J_PYTHON";

    private static final String TWIN = "vjepa_step_twin.py";
    private static final int WARMUP = 2;

    /**
     * Figures of one run.
     *
     * @param description model, input, masks and threads
     * @param secondsPerStep median wall seconds of a jepa4j step
     * @param pytorchSecondsPerStep median wall seconds of a twin step (null without PyTorch or for other variants)
     * @param speedVsPyTorch twin seconds / jepa4j seconds (above 1: jepa4j is faster; null without the twin)
     * @param pairedSpeedVsPyTorch median over the timed steps of (twin step / the jepa4j step just before it):
     *     robust to load that drifts between steps on a shared machine (null without the twin)
     * @param stepSeconds every timed jepa4j step
     * @param pytorchStepSeconds every timed twin step (empty without the twin)
     * @param cpuSecondsPerStep median process CPU seconds (all threads) of a jepa4j step: less sensitive than wall
     *     time to other work on a shared machine
     * @param pytorchCpuSecondsPerStep the same for the twin (null without it)
     * @param cpuSpeedVsPyTorch twin CPU seconds / jepa4j CPU seconds (null without the twin)
     * @param phases jepa4j's mean seconds per phase ({@link StepPhases#ALL})
     * @param pytorchPhases the twin's mean seconds per phase (empty without the twin)
     * @param phasesCpu jepa4j's mean CPU seconds per phase
     * @param pytorchPhasesCpu the twin's mean CPU seconds per phase (empty without the twin)
     * @param contextLengths context tokens per mask set of the first step
     * @param targetLengths target tokens per mask set of the first step
     * @param threads intra-op threads of both
     * @param twinNote why the twin did not run, or its PyTorch version
     */
    public record Result(String description, double secondsPerStep, Double pytorchSecondsPerStep,
            Double speedVsPyTorch, Double pairedSpeedVsPyTorch, List<Double> stepSeconds, List<Double> pytorchStepSeconds,
            double cpuSecondsPerStep, Double pytorchCpuSecondsPerStep, Double cpuSpeedVsPyTorch,
            Map<String, Double> phases, Map<String, Double> pytorchPhases, Map<String, Double> phasesCpu,
            Map<String, Double> pytorchPhasesCpu, List<Integer> contextLengths,
            List<Integer> targetLengths, int threads, String twinNote) {

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format("%s%n  jepa4j %.3f s/step", description,
                    secondsPerStep));
            if (pytorchSecondsPerStep != null) {
                b.append(String.format(", PyTorch twin %.3f s/step: jepa4j at %.2fx the twin's speed (step pairs: "
                        + "%.2fx)", pytorchSecondsPerStep, speedVsPyTorch, pairedSpeedVsPyTorch));
                b.append(String.format("%n  CPU time: jepa4j %.3f s/step, twin %.3f s/step: %.2fx", cpuSecondsPerStep,
                        pytorchCpuSecondsPerStep, cpuSpeedVsPyTorch));
            } else {
                b.append(String.format(", CPU %.3f s/step (%s)", cpuSecondsPerStep, twinNote));
            }
            boolean twin = !pytorchPhases.isEmpty();
            b.append(String.format("%n  phases, mean s     wall %s   cpu %s", twin ? "jepa4j   twin" : "jepa4j",
                    twin ? "jepa4j   twin" : "jepa4j"));
            for (String p : StepPhases.ALL) {
                b.append(String.format("%n    %-12s %8.3f", p, phases.getOrDefault(p, 0.0)));
                if (twin) {
                    b.append(String.format(" %6.3f", pytorchPhases.getOrDefault(p, 0.0)));
                }
                b.append(String.format("   %8.3f", phasesCpu.getOrDefault(p, 0.0)));
                if (twin) {
                    b.append(String.format(" %6.3f", pytorchPhasesCpu.getOrDefault(p, 0.0)));
                }
            }
            return b.toString();
        }
    }

    private TrainStepMemoryBenchmark() {
    }

    /**
     * Runs one variant.
     *
     * @param variant {@code vjepa} (with the twin), {@code vjepa2}, {@code ijepa}, or {@code quick} (a tiny V-JEPA
     *     with the twin, for CI)
     * @param steps timed steps (after 2 warm-up steps); 2 more per side are timed phase by phase
     * @return the figures
     * @throws IOException if the twin's files cannot be written
     */
    public static Result run(String variant, int steps) throws IOException {
        TrainConfig cfg = config(variant);
        int batch = cfg.data().batchSize();
        boolean image = cfg.data().datasetType().equals("image");
        Shape shape = image ? new Shape(batch, 3, cfg.data().cropSize(), cfg.data().cropSize())
                : new Shape(batch, 3, cfg.data().numFrames(), cfg.data().cropSize(), cfg.data().cropSize());
        int phaseSteps = 2;
        int total = WARMUP + steps + phaseSteps;
        Random rng = new Random(0);
        List<List<MaskSet>> masks = new ArrayList<>();
        for (int s = 0; s < total; s++) {
            masks.add(TrainingData.maskGenerator(cfg).sample(batch, rng));
        }
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        boolean withTwin = variant.equals("vjepa") || variant.equals("quick");
        Device device = org.jepa4j.train.Devices.resolve("auto").get(0);
        double[] own = new double[steps];
        double[] ownCpu = new double[steps];
        List<Double> twin = new ArrayList<>();
        List<Double> twinCpu = new ArrayList<>();
        Map<String, Double> twinPhases = new LinkedHashMap<>();
        Map<String, Double> twinPhasesCpu = new LinkedHashMap<>();
        StepPhases phases = new StepPhases();
        String python = System.getenv().getOrDefault(PYTHON_ENV, "python3");
        String version = withTwin ? Twin.probe(python) : null;
        String note = !withTwin ? "no PyTorch twin for " + variant : version == null ? "PyTorch twin not run: '"
                + python + " -c \"import torch\"' failed (set " + PYTHON_ENV + ")" : "PyTorch twin: " + version;
        try (Twin t = version != null ? Twin.start(python, version, cfg, threads, masks) : null;
                NDManager manager = NDManager.newBaseManager(device);
                JepaModel model = JepaModel.create(cfg, device, 1);
                JepaStep step = JepaStep.builder().setModel(model).optLoss(cfg.loss())
                        .optOptimization(cfg.optimization())
                        .optMaskTokenIndex(TrainingData.maskTokenIndex(cfg, masks.get(0).size())).build()) {
            NDArray clips = manager.randomNormal(shape); // [B, C, (T,) H, W] in memory, the same every step
            for (int s = 0; s < WARMUP + steps + phaseSteps; s++) {
                boolean timedPhases = s >= WARMUP + steps;
                long t0 = System.nanoTime();
                double c0 = StepPhases.processCpuSeconds();
                step.step(List.of(new MicroBatch(clips, masks.get(s))), 1e-4, 0.04, 0.998, true,
                        timedPhases ? phases : null);
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (s >= WARMUP && !timedPhases) {
                    own[s - WARMUP] = seconds;
                    ownCpu[s - WARMUP] = StepPhases.processCpuSeconds() - c0;
                }
                if (t != null) {
                    JsonObject answer = t.step(timedPhases);
                    if (timedPhases) {
                        answer.getAsJsonObject("phases").entrySet().forEach(e -> twinPhases.merge(e.getKey(),
                                e.getValue().getAsDouble() / phaseSteps, Double::sum));
                        answer.getAsJsonObject("phasesCpu").entrySet().forEach(e -> twinPhasesCpu.merge(e.getKey(),
                                e.getValue().getAsDouble() / phaseSteps, Double::sum));
                    } else if (s >= WARMUP) {
                        twin.add(answer.get("seconds").getAsDouble());
                        twinCpu.add(answer.get("cpuSeconds").getAsDouble());
                    }
                }
            }
        }
        double mine = median(own);
        double mineCpu = median(ownCpu);
        Double theirs = twin.isEmpty() ? null : median(twin.stream().mapToDouble(Double::doubleValue).toArray());
        Double theirsCpu = twin.isEmpty() ? null
                : median(twinCpu.stream().mapToDouble(Double::doubleValue).toArray());
        Double paired = null;
        if (!twin.isEmpty()) {
            double[] ratios = new double[steps];
            for (int i = 0; i < steps; i++) {
                ratios[i] = twin.get(i) / own[i];
            }
            paired = median(ratios);
        }
        MaskSetLengths lengths = MaskSetLengths.of(masks.get(0));
        String desc = String.format("%s train step in memory, %s, %d x %s, %d tokens, %d mask sets, %s, fp32, "
                + "%d threads", variant, modelText(cfg), batch, image ? cfg.data().cropSize() + " px images"
                : cfg.data().numFrames() + " frames x " + cfg.data().cropSize() + " px", cfg.data().numTokens(),
                masks.get(0).size(), device, threads);
        return new Result(desc, mine, theirs, theirs == null ? null : theirs / mine, paired,
                Arrays.stream(own).boxed().toList(), List.copyOf(twin), mineCpu, theirsCpu,
                theirsCpu == null ? null : theirsCpu / mineCpu, phases.meanSeconds(), orderedPhases(twinPhases),
                phases.meanCpuSeconds(), orderedPhases(twinPhasesCpu), lengths.context(), lengths.target(), threads,
                note);
    }

    private static Map<String, Double> orderedPhases(Map<String, Double> in) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String p : StepPhases.ALL) {
            if (in.containsKey(p)) {
                out.put(p, in.get(p));
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static String modelText(TrainConfig cfg) {
        return String.format("ViT %dx%d (%d heads, patch %d) + predictor %dx%d (%d heads), %s", cfg.model().depth(),
                cfg.model().embedDim(), cfg.model().numHeads(), cfg.data().patchSize(), cfg.model().predDepth(),
                cfg.model().predEmbedDim(), cfg.model().predNumHeads(), cfg.model().variant() == org.jepa4j.train.config.ModelVariant.VJEPA2
                        ? "3D RoPE" : "sin-cos");
    }

    /** The configuration of a variant at the benchmark's shapes. */
    static TrainConfig config(String variant) {
        List<String> common = List.of("model.model_name=vit_small", "model.pred_num_heads=12", "meta.device=auto",
                "meta.precision=fp32", "logging.progress_bar=false");
        List<String> o = new ArrayList<>(common);
        String preset;
        switch (variant) {
            case "vjepa", "vjepa2" -> {
                preset = variant.equals("vjepa") ? "vjepa_vitl16" : "vjepa2_vitl16";
                o.addAll(List.of("data.batch_size=4", "data.num_frames=16", "data.crop_size=112"));
            }
            case "ijepa" -> {
                preset = "ijepa_vith14";
                o.addAll(List.of("data.batch_size=8", "data.crop_size=224", "data.patch_size=16"));
            }
            case "quick" -> {
                preset = "vjepa_vitl16";
                o = new ArrayList<>(List.of("model.model_name=custom", "model.embed_dim=32", "model.depth=2",
                        "model.num_heads=2", "model.mlp_ratio=4.0", "model.pred_embed_dim=32", "model.pred_depth=2",
                        "model.pred_num_heads=2", "data.batch_size=1", "data.num_frames=4", "data.crop_size=64",
                        "meta.device=auto", "meta.precision=fp32", "logging.progress_bar=false"));
            }
            default -> throw new IllegalArgumentException("unknown variant '" + variant
                    + "': use vjepa, vjepa2, ijepa or quick");
        }
        return TrainConfig.preset(preset, o);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Context and target lengths of each mask set of one batch. */
    private record MaskSetLengths(List<Integer> context, List<Integer> target) {
        static MaskSetLengths of(List<MaskSet> sets) {
            return new MaskSetLengths(sets.stream().map(MaskSet::contextLength).toList(),
                    sets.stream().map(MaskSet::targetLength).toList());
        }
    }

    /** The PyTorch twin as a child process in serve mode: one step per request. */
    private static final class Twin implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final BufferedWriter in;
        private final Path dir;
        final String version;

        private Twin(Process process, Path dir, String version) {
            this.process = process;
            this.dir = dir;
            this.version = version;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        }

        /** Starts the twin with the benchmark's shapes, threads and masks and waits until it is ready. */
        static Twin start(String python, String version, TrainConfig cfg, int threads, List<List<MaskSet>> masks)
                throws IOException {
            Path dir = Files.createTempDirectory("jepa4j-twin");
            Path script = dir.resolve(TWIN);
            try (InputStream s = TrainStepMemoryBenchmark.class.getResourceAsStream(TWIN)) {
                if (s == null) {
                    throw new IOException("resource " + TWIN + " missing beside " + TrainStepMemoryBenchmark.class);
                }
                Files.copy(s, script);
            }
            Path maskFile = dir.resolve("masks.json");
            Files.writeString(maskFile, masksJson(masks));
            var m = cfg.model();
            var d = cfg.data();
            List<String> cmd = List.of(python, script.toString(), "--serve", "--batch", "" + d.batchSize(),
                    "--frames", "" + d.numFrames(), "--size", "" + d.cropSize(), "--threads", "" + threads,
                    "--masks", maskFile.toString(), "--model", String.join(",", "" + m.embedDim(), "" + m.depth(),
                            "" + m.numHeads(), "" + m.predEmbedDim(), "" + m.predDepth(), "" + m.predNumHeads()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE"); // as the jepa4j launcher
            Twin t = new Twin(pb.start(), dir, version);
            String ready = t.out.readLine();
            if (!"ready".equals(ready)) {
                t.close();
                throw new IOException("the PyTorch twin did not start (" + String.join(" ", cmd) + "): " + ready);
            }
            return t;
        }

        /** The torch version python imports ("PyTorch 2.x (python3)"), or null if it cannot import torch. */
        static String probe(String python) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)")
                        .redirectErrorStream(true).start();
                String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                boolean done = p.waitFor(120, TimeUnit.SECONDS);
                if (!done) {
                    p.destroyForcibly();
                    return null;
                }
                return p.exitValue() == 0 ? "PyTorch " + v + " (" + python + ")" : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        JsonObject step(boolean withPhases) throws IOException {
            in.write(withPhases ? "phases\n" : "step\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the PyTorch twin exited (see its messages above)");
            }
            return JsonParser.parseString(line).getAsJsonObject();
        }

        private static String masksJson(List<List<MaskSet>> masks) {
            JsonArray steps = new JsonArray();
            Gson gson = new Gson();
            for (List<MaskSet> step : masks) {
                JsonArray sets = new JsonArray();
                for (MaskSet set : step) {
                    JsonObject o = new JsonObject();
                    o.add("context", gson.toJsonTree(set.context()));
                    o.add("target", gson.toJsonTree(set.target()));
                    sets.add(o);
                }
                steps.add(sets);
            }
            JsonObject root = new JsonObject();
            root.add("steps", steps);
            return root.toString();
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    /**
     * Entry point.
     *
     * @param args optional: variant (vjepa, vjepa2, ijepa, quick), timed steps
     */
    public static void main(String[] args) throws IOException {
        String variant = args.length > 0 ? args[0] : "vjepa";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        System.out.println(run(variant, steps));
    }
}
