package org.jepa4j.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.util.concurrent.Callable;
import org.jepa4j.examples.bench.BlockStackBenchmark;
import org.jepa4j.examples.bench.EncoderBenchmark;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.examples.bench.MemorySoakBenchmark;
import org.jepa4j.examples.bench.PlanningBenchmark;
import org.jepa4j.examples.bench.WorldStepBenchmark;
import org.jepa4j.examples.bench.WorldModelBenchmark;
import org.jepa4j.examples.bench.PrecisionBenchmark;
import org.jepa4j.examples.bench.SparkExtractionBenchmark;
import org.jepa4j.examples.bench.TrainStepBenchmark;
import org.jepa4j.examples.bench.TrainStepMemoryBenchmark;
import org.jepa4j.train.config.Precision;
import org.jepa4j.examples.bench.DecodeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j bench}: runs the library's benchmarks ({@link EncoderBenchmark}, {@link BlockStackBenchmark},
 * {@link TrainStepBenchmark}, {@link TrainStepMemoryBenchmark},
 * {@link DecodeBenchmark}, {@link PrecisionBenchmark} and {@link MemorySoakBenchmark}) and prints their figures
 * as ONE JSON object on standard output (non-finite numbers as {@code null}); the benchmarks' own reports go to
 * standard error.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the benchmarks and print one JSON object of figures.",
            "",
            "encoder: ViT-S/16 encoder + predictor forward/backward GFLOP/s vs a same-run fp32 matmul; blocks: a "
                    + "12-block stack of DJL's stock TransformerEncoderBlock vs jepa4j's blocks (same shapes, same "
                    + "run); train_step: "
                    + "the full V-JEPA step fed by the real loader; train_step_memory: the V-JEPA step on in-memory "
                    + "clips vs a PyTorch twin of the reference step in the same run (when python3 imports torch), "
                    + "with per-phase splits, plus the V-JEPA 2 and I-JEPA steps; decode: decode + transform ms/clip vs the ffmpeg "
                    + "tool (when installed); precision: step time per precision policy; memory / world_memory: live arrays "
                    + "and RSS slope over a long trainer / world-model trainer run; world: a world model's held-out "
                    + "losses vs copy-the-last-frame and its step time with vs without the feature cache; plan: ms per "
                    + "CEM replan of the toy world's predictor, key/value-cached rollout vs full pass; world_step: ms "
                    + "per forward + backward of the demo predictor's training losses, cached rollout vs the "
                    + "reference's growing-sequence rollout; spark_extract "
                    + "(only when named): clips/s of the Spark job in local[2] vs the single-JVM extractor, and the "
                    + "SparkSession start-up.",
            "Full sizes take several minutes on 2 CPU cores; --quick uses tiny sizes (seconds, for CI)."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j bench --quick",
            "  jepa4j bench --only encoder,train_step > figures.json"
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Tiny sizes (for CI): figures show that the code runs, not speed.")
    boolean quick;

    @Option(names = "--only", paramLabel = "NAMES", split = ",",
            description = "Run only these: encoder, blocks, train_step, train_step_memory, decode, precision, "
                    + "memory, world, plan, world_step, world_memory; spark_extract (Spark local[2] vs the "
                    + "single-JVM extractor; only when named).")
    java.util.List<String> only;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws Exception {
        threadsOption.apply(spec.commandLine());
        if (only != null) {
            for (String n : only) {
                if (!n.matches("encoder|blocks|train_step|train_step_memory|decode|precision|memory|world"
                        + "|plan|world_step|world_memory|spark_extract")) {
                    throw new ParameterException(spec.commandLine(), "--only knows encoder, blocks, train_step, "
                            + "train_step_memory, decode, precision, memory, world, plan, world_step, world_memory and "
                            + "spark_extract, "
                            + "got '" + n + "'");
                }
            }
        }
        long t0 = System.nanoTime();
        JsonObject root = new JsonObject();
        root.addProperty("quick", quick);
        root.addProperty("cores", Runtime.getRuntime().availableProcessors());
        root.addProperty("java", System.getProperty("java.version"));
        PrintStream stdout = System.out;
        System.setOut(System.err); // the benchmarks print reports; standard output carries only the JSON
        try {
            if (wants("encoder")) {
                EncoderBenchmark.Result r = quick ? EncoderBenchmark.run(1, 4, 32, 2, PositionKind.ROPE_3D)
                        : EncoderBenchmark.run(8, 8, 112, 5, PositionKind.ROPE_3D);
                root.add("encoder", toJson(r));
            }
            if (wants("blocks")) {
                BlockStackBenchmark.Result r = quick ? BlockStackBenchmark.run(1, 8, 2, 1, 1)
                        : BlockStackBenchmark.run(8, 196, 12, 12, 5);
                System.out.println(r);
                root.add("blocks", toJson(r));
            }
            if (wants("train_step")) {
                TrainStepBenchmark.Result r = quick ? TrainStepBenchmark.run(1, 4, 32, 2, null)
                        : TrainStepBenchmark.run(4, 16, 112, 6, null);
                root.add("train_step", toJson(r));
            }
            if (wants("train_step_memory")) {
                root.add("train_step_memory", trainStepMemory());
            }
            if (wants("decode")) {
                DecodeBenchmark.Figures f = DecodeBenchmark.run(quick ? 2 : 24);
                root.add("decode", toJson(f));
            }
            if (wants("precision")) {
                root.add("precision", precision());
            }
            if (wants("memory")) {
                root.add("memory", toJson(MemorySoakBenchmark.run(quick ? 200 : 3000)));
            }
            if (wants("world")) {
                root.add("world", toJson(quick ? WorldModelBenchmark.run(20, 4, 2, 10, false)
                        : WorldModelBenchmark.run(1500)));
            }
            if (wants("plan")) {
                root.add("plan", toJson(quick ? PlanningBenchmark.run(2, 8, 1, 2)
                        : PlanningBenchmark.run(6, 64, 4, 9)));
            }
            if (wants("world_step")) {
                root.add("world_step", toJson(quick ? WorldStepBenchmark.run(2, 3, 2, 2)
                        : WorldStepBenchmark.run(16, 7, 6, 15)));
            }
            if (wants("world_memory")) {
                root.add("world_memory", toJson(MemorySoakBenchmark.runWorldModel(quick ? 100 : 2000)));
            }
            if (only != null && only.contains("spark_extract")) { // only when asked: it starts Spark
                root.add("spark_extract", toJson(SparkExtractionBenchmark.run(quick
                        ? SparkExtractionBenchmark.Settings.quick() : SparkExtractionBenchmark.Settings.standard())));
            }
        } finally {
            System.setOut(stdout);
        }
        root.addProperty("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        PrintWriter o = spec.commandLine().getOut();
        o.println(new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().serializeNulls().create().toJson(root));
        o.flush();
        return 0;
    }

    private boolean wants(String name) {
        return only == null || only.contains(name);
    }

    /**
     * The V-JEPA step in memory next to the PyTorch twin, then the V-JEPA 2 and I-JEPA steps (their figures as
     * {@code vjepa2} and {@code ijepa} inside the V-JEPA object).
     */
    private JsonElement trainStepMemory() throws java.io.IOException, ReflectiveOperationException {
        TrainStepMemoryBenchmark.Result v = TrainStepMemoryBenchmark.run(quick ? "quick" : "vjepa", quick ? 1 : 6);
        System.out.println(v);
        JsonObject o = toJson(v).getAsJsonObject();
        if (!quick) {
            for (String variant : java.util.List.of("vjepa2", "ijepa")) {
                TrainStepMemoryBenchmark.Result r = TrainStepMemoryBenchmark.run(variant, 4);
                System.out.println(r);
                o.add(variant, toJson(r));
            }
        }
        return o;
    }

    /** Step times per precision policy: fp32 and fp16-mixed, plus tf32 when DJL sees a GPU. */
    private JsonElement precision() throws ReflectiveOperationException {
        java.util.List<Precision> policies = new java.util.ArrayList<>(java.util.List.of(Precision.FP32,
                Precision.FP16_MIXED));
        if (ai.djl.engine.Engine.getInstance().getGpuCount() > 0) {
            policies.add(1, Precision.TF32);
        }
        JsonElement json = toJson(PrecisionBenchmark.run(policies, quick ? 1 : 3));
        addSpeedups(json);
        return json;
    }

    /** Adds {@code speedupVsFp32} to each entry of a {@code timings} array that has {@code fwdBwdMs}. */
    private static void addSpeedups(JsonElement json) {
        if (!json.isJsonObject() || !json.getAsJsonObject().has("timings")
                || !json.getAsJsonObject().get("timings").isJsonArray()) {
            return;
        }
        com.google.gson.JsonArray timings = json.getAsJsonObject().getAsJsonArray("timings");
        Double fp32 = null;
        for (JsonElement t : timings) {
            JsonObject o = t.getAsJsonObject();
            if ("FP32".equals(o.has("precision") ? o.get("precision").getAsString() : null)
                    && o.has("fwdBwdMs") && !o.get("fwdBwdMs").isJsonNull()) {
                fp32 = o.get("fwdBwdMs").getAsDouble();
            }
        }
        for (JsonElement t : timings) {
            JsonObject o = t.getAsJsonObject();
            if (fp32 != null && o.has("fwdBwdMs") && !o.get("fwdBwdMs").isJsonNull()) {
                o.add("speedupVsFp32", toJsonNumber(fp32 / o.get("fwdBwdMs").getAsDouble()));
            }
        }
    }

    private static JsonElement toJsonNumber(double d) {
        return Double.isFinite(d) ? new JsonPrimitive(Math.round(d * 1e4) / 1e4) : JsonNull.INSTANCE;
    }

    /** A record's components as a JSON object (non-finite doubles as null, lists as arrays, enums by name). */
    static JsonElement toJson(Object value) throws ReflectiveOperationException {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof Double d) {
            return toJsonNumber(d);
        }
        if (value instanceof Enum<?> e) {
            return new JsonPrimitive(e.name());
        }
        if (value instanceof java.util.Map<?, ?> map) {
            JsonObject o = new JsonObject();
            for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
                o.add(String.valueOf(e.getKey()), toJson(e.getValue()));
            }
            return o;
        }
        if (value instanceof Iterable<?> list) {
            com.google.gson.JsonArray a = new com.google.gson.JsonArray();
            for (Object item : list) {
                a.add(toJson(item));
            }
            return a;
        }
        if (value instanceof Float f) {
            return toJson(f.doubleValue());
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value instanceof Boolean b ? new JsonPrimitive(b) : new JsonPrimitive((Number) value);
        }
        if (value.getClass().isRecord()) {
            JsonObject o = new JsonObject();
            for (RecordComponent rc : value.getClass().getRecordComponents()) {
                o.add(rc.getName(), toJson(rc.getAccessor().invoke(value)));
            }
            return o;
        }
        return new JsonPrimitive(value.toString());
    }
}
