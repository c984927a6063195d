package org.jepa4j.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.concurrent.Callable;
import org.jepa4j.core.bench.EncoderBenchmark;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.train.bench.TrainStepBenchmark;
import org.jepa4j.video.bench.DecodeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j bench}: runs the library's benchmarks ({@link EncoderBenchmark}, {@link TrainStepBenchmark},
 * {@link DecodeBenchmark}, and {@value #PRECISION_BENCHMARK} when it is on the class path) and prints their figures
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
            "encoder: ViT-S/16 encoder + predictor forward/backward GFLOP/s vs a same-run fp32 matmul; train_step: "
                    + "the full V-JEPA step fed by the real loader; decode: decode + transform ms/clip vs the ffmpeg "
                    + "tool (when installed); precision: when the library has PrecisionBenchmark.",
            "Full sizes take several minutes on 2 CPU cores; --quick uses tiny sizes (seconds, for CI)."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j bench --quick",
            "  jepa4j bench --only encoder,train_step > figures.json"
        })
public final class BenchCommand implements Callable<Integer> {

    /** Class name of the precision benchmark, run by reflection when present. */
    static final String PRECISION_BENCHMARK = "org.jepa4j.train.precision.PrecisionBenchmark";

    @Spec
    CommandSpec spec;

    @Mixin
    ThreadsOption threadsOption;

    @Option(names = "--quick", description = "Tiny sizes (for CI): figures show that the code runs, not speed.")
    boolean quick;

    @Option(names = "--only", paramLabel = "NAMES", split = ",",
            description = "Run only these: encoder, train_step, decode, precision.")
    java.util.List<String> only;

    @Override
    public Integer call() throws Exception {
        if (!threadsOption.apply()) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1");
        }
        if (only != null) {
            for (String n : only) {
                if (!n.matches("encoder|train_step|decode|precision")) {
                    throw new ParameterException(spec.commandLine(), "--only knows encoder, train_step, decode and "
                            + "precision, got '" + n + "'");
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
            if (wants("train_step")) {
                TrainStepBenchmark.Result r = quick ? TrainStepBenchmark.run(1, 4, 32, 2, null)
                        : TrainStepBenchmark.run(4, 16, 112, 6, null);
                root.add("train_step", toJson(r));
            }
            if (wants("decode")) {
                DecodeBenchmark.Figures f = DecodeBenchmark.run(quick ? 2 : 24);
                root.add("decode", toJson(f));
            }
            if (wants("precision")) {
                root.add("precision", precision());
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
     * Runs {@value #PRECISION_BENCHMARK} when the class exists: a static {@code run(boolean quick)} returning a
     * record, else a static no-argument {@code run()}. Without the class the figure is
     * {@code {"available": false}}.
     */
    private JsonElement precision() throws Exception {
        Class<?> c;
        try {
            c = Class.forName(PRECISION_BENCHMARK);
        } catch (ClassNotFoundException e) {
            JsonObject o = new JsonObject();
            o.addProperty("available", false);
            o.addProperty("reason", PRECISION_BENCHMARK + " is not in this build");
            return o;
        }
        Method m = find(c, boolean.class);
        Object result = m != null ? m.invoke(null, quick) : null;
        if (m == null) {
            m = find(c);
            if (m == null) {
                JsonObject o = new JsonObject();
                o.addProperty("available", false);
                o.addProperty("reason", PRECISION_BENCHMARK + " has no static run(boolean) or run()");
                return o;
            }
            result = m.invoke(null);
        }
        return toJson(result);
    }

    private static Method find(Class<?> c, Class<?>... params) {
        try {
            Method m = c.getMethod("run", params);
            return Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** A record's components as a JSON object (non-finite doubles as null); other values as strings. */
    static JsonElement toJson(Object value) throws ReflectiveOperationException {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof Double d) {
            return Double.isFinite(d) ? new JsonPrimitive(Math.round(d * 1e4) / 1e4) : JsonNull.INSTANCE;
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
