package org.jepa4j.train.metrics;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jepa4j.core.io.AtomicFiles;

/**
 * Per-step metrics file, CSV ({@code .csv}) or JSON lines ({@code .jsonl}), chosen by the file extension.
 * Each row is flushed when appended. On resume, rows after the checkpoint's step (logged by the interrupted
 * run after its last checkpoint) are dropped so the file stays one row per step.
 *
 * <p>Columns: step, epoch, loss, the per-part losses, lr, wd, momentum, grad_norm, loss_scale, overflow_steps,
 * step_time_ms, data_time_ms, clips_per_s, feat_std_mean, feat_std_min, rankme. The per-part loss columns are named
 * by the caller ({@link #open(Path, List, long)}, e.g. {@code loss_teacher_forcing, loss_rollout} of a world-model
 * run) or {@code loss_set0..loss_setK-1} (one per mask set, {@link #open(Path, int, long)}); reading takes every
 * column that is not one of the fixed ones as a per-part loss, in file order. Unmeasured values are empty (CSV) or
 * null (JSONL). Files are read by column name: files of earlier versions (without loss_scale and overflow_steps)
 * are read with those values NaN and 0, and converted to the current columns when a run resumes into them.
 */
public final class MetricsLog implements Closeable {

    private final Path file;
    private final boolean csv;
    private final List<String> lossColumns;
    private final BufferedWriter out;

    private MetricsLog(Path file, List<String> lossColumns, BufferedWriter out) {
        this.file = file;
        this.csv = isCsv(file);
        this.lossColumns = lossColumns;
        this.out = out;
    }

    /**
     * The per-mask-set loss column names of a V-JEPA / I-JEPA run: {@code loss_set0 .. loss_set<n-1>}.
     *
     * @param numMaskSets number of mask sets (at least 1)
     * @return the column names
     */
    public static List<String> maskSetColumns(int numMaskSets) {
        if (numMaskSets < 1) {
            throw new IllegalArgumentException("numMaskSets must be >= 1, got " + numMaskSets);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numMaskSets; i++) {
            names.add("loss_set" + i);
        }
        return List.copyOf(names);
    }

    /**
     * Opens (creating or appending to) a metrics file.
     *
     * @param file {@code *.csv} or {@code *.jsonl}
     * @param numMaskSets number of per-mask-set loss columns
     * @param resumeAfterStep drop existing rows with a larger step (use the resumed checkpoint's step; 0 for a
     *     fresh run, which empties the file)
     * @return the open log
     * @throws IOException if the file cannot be read or written, or its CSV header has other columns
     */
    public static MetricsLog open(Path file, int numMaskSets, long resumeAfterStep) throws IOException {
        return open(file, maskSetColumns(numMaskSets), resumeAfterStep);
    }

    /**
     * Opens (creating or appending to) a metrics file whose per-part loss columns have the given names.
     *
     * @param file {@code *.csv} or {@code *.jsonl}
     * @param lossColumns names of the per-part loss columns, in order (at least one; lower-case letters, digits and
     *     underscores, none of the fixed column names), e.g. {@code loss_teacher_forcing, loss_rollout}
     * @param resumeAfterStep drop existing rows with a larger step (use the resumed checkpoint's step; 0 for a
     *     fresh run, which empties the file)
     * @return the open log
     * @throws IOException if the file cannot be read or written, or its CSV header has other columns
     */
    public static MetricsLog open(Path file, List<String> lossColumns, long resumeAfterStep) throws IOException {
        if (!isCsv(file) && !file.getFileName().toString().endsWith(".jsonl")) {
            throw new IllegalArgumentException("metrics file must end in .csv or .jsonl: " + file);
        }
        checkLossColumns(lossColumns);
        List<String> parts = List.copyOf(lossColumns);
        int numParts = parts.size();
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        List<String> cols = columns(parts);
        String header = String.join(",", cols);
        List<String> keep = new ArrayList<>();
        if (Files.exists(abs)) {
            List<String> lines = Files.readAllLines(abs, StandardCharsets.UTF_8);
            List<String> existing = null; // CSV header of the file, when it is not the current one
            int first = 0;
            if (isCsv(abs) && !lines.isEmpty()) {
                if (!lines.get(0).equals(header)) {
                    existing = List.of(lines.get(0).split(",", -1));
                    if (!compatible(lossParts(existing), parts) || !existing.containsAll(LEGACY_REQUIRED)) {
                        throw new IOException(abs + ": existing CSV header does not match the " + numParts
                                + " loss columns " + parts + ": " + lines.get(0));
                    }
                }
                first = 1;
            }
            for (int i = first; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (existing != null) {
                        StepMetrics m = fromNamed(parseCsv(existing, line), lossParts(existing));
                        if (m.step() <= resumeAfterStep) {
                            keep.add(csvLine(m)); // an earlier version's row in the current columns
                        }
                    } else if (!isCsv(abs) && !lossParts(jsonKeys(line)).equals(parts)) {
                        List<String> its = lossParts(jsonKeys(line));
                        if (!compatible(its, parts)) {
                            throw new IOException(abs + ": a row's loss columns " + its + " do not match the "
                                    + numParts + " loss columns " + parts);
                        }
                        StepMetrics m = fromNamed(jsonValues(line), its);
                        if (m.step() <= resumeAfterStep) {
                            keep.add(jsonLine(m, parts)); // an earlier version's row in the current columns
                        }
                    } else if (stepOf(abs, line) <= resumeAfterStep) {
                        keep.add(line);
                    }
                } catch (RuntimeException e) {
                    // A torn last line of a crashed run: drop it.
                }
            }
        }
        StringBuilder rewritten = new StringBuilder();
        if (isCsv(abs)) {
            rewritten.append(header).append(System.lineSeparator());
        }
        for (String line : keep) {
            rewritten.append(line).append(System.lineSeparator());
        }
        AtomicFiles.writeString(abs, rewritten.toString());
        BufferedWriter w = Files.newBufferedWriter(abs, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return new MetricsLog(abs, parts, w);
    }

    /**
     * The file written.
     *
     * @return the file written
     */
    public Path file() {
        return file;
    }

    /**
     * Appends one row and flushes it.
     *
     * @param m the step's metrics; its per-part list must have one entry per loss column
     * @throws IOException if writing fails
     */
    public void append(StepMetrics m) throws IOException {
        if (m.lossPerMaskSet().size() != lossColumns.size()) {
            throw new IllegalArgumentException("expected " + lossColumns.size() + " per-part losses "
                    + lossColumns + ", got " + m.lossPerMaskSet().size());
        }
        out.write(csv ? csvLine(m) : jsonLine(m, lossColumns));
        out.newLine();
        out.flush();
    }

    /**
     * Reads a metrics file back (for analysis).
     *
     * @param file a file written by this class
     * @return its rows in file order
     * @throws IOException if the file cannot be read or parsed
     */
    public static List<StepMetrics> read(Path file) throws IOException {
        List<StepMetrics> rows = new ArrayList<>();
        forEach(file, rows::add);
        return rows;
    }

    /**
     * Streams a metrics file's rows in file order, holding one line at a time (e.g. to fill a {@link PlotHistory}).
     *
     * @param file a file written by this class
     * @param action called with each row
     * @throws IOException if the file cannot be read or parsed
     */
    public static void forEach(Path file, Consumer<StepMetrics> action) throws IOException {
        boolean csvFile = isCsv(file);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> names = null; // CSV header
            List<String> parts = List.of();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (csvFile && names == null) {
                    names = List.of(line.split(",", -1));
                    parts = lossParts(names);
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (csvFile) {
                    action.accept(fromNamed(parseCsv(names, line), parts));
                } else {
                    action.accept(fromNamed(jsonValues(line), lossParts(jsonKeys(line))));
                }
            }
        }
    }

    /** Flushes and closes the file. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Columns every version of the file had (besides the per-mask-set losses). */
    private static final List<String> LEGACY_REQUIRED = List.of("step", "epoch", "loss", "lr", "wd", "momentum",
            "grad_norm", "step_time_ms", "data_time_ms", "clips_per_s", "feat_std_mean", "feat_std_min", "rankme");

    /** Columns before the per-part losses. */
    private static final List<String> HEAD = List.of("step", "epoch", "loss");
    /** Columns after the per-part losses. */
    private static final List<String> TAIL = List.of("lr", "wd", "momentum", "grad_norm", "loss_scale",
            "overflow_steps", "step_time_ms", "data_time_ms", "clips_per_s", "feat_std_mean", "feat_std_min",
            "rankme");

    static List<String> columns(List<String> lossColumns) {
        List<String> c = new ArrayList<>(HEAD);
        c.addAll(lossColumns);
        c.addAll(TAIL);
        return c;
    }

    private static void checkLossColumns(List<String> names) {
        if (names.isEmpty() || names.size() != new java.util.HashSet<>(names).size()) {
            throw new IllegalArgumentException("loss columns must be one or more distinct names, got " + names);
        }
        for (String n : names) {
            if (!n.matches("[a-z0-9_]+") || HEAD.contains(n) || TAIL.contains(n)) {
                throw new IllegalArgumentException("bad loss column name '" + n + "' (lower-case letters, digits and"
                        + " underscores; not one of " + HEAD + " " + TAIL + ")");
            }
        }
    }

    /**
     * Whether rows with the loss columns {@code found} can be kept in a log of {@code wanted}: the same names, or
     * as many parts named {@code loss_set<i>} (a world-model run of the first version), renamed by position.
     */
    private static boolean compatible(List<String> found, List<String> wanted) {
        return found.equals(wanted) || found.equals(maskSetColumns(Math.max(1, wanted.size())));
    }

    private static List<String> jsonKeys(String line) {
        return new ArrayList<>(JsonParser.parseString(line).getAsJsonObject().keySet());
    }

    private static Map<String, Double> jsonValues(String line) {
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        Map<String, Double> v = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            JsonElement x = e.getValue();
            v.put(e.getKey(), x == null || x.isJsonNull() ? Double.NaN : Double.parseDouble(x.getAsString()));
        }
        return v;
    }

    /** The per-part loss columns of a file's column names: those not fixed, in file order. */
    private static List<String> lossParts(Collection<String> names) {
        return names.stream().filter(n -> !HEAD.contains(n) && !TAIL.contains(n)).toList();
    }

    /** Values in the order of {@link #columns(List)}. */
    private static double[] values(StepMetrics m) {
        List<Double> v = new ArrayList<>(List.of((double) m.step(), (double) m.epoch(), m.loss()));
        v.addAll(m.lossPerMaskSet());
        v.addAll(List.of(m.lr(), m.wd(), m.momentum(), m.gradNorm(), m.lossScale(), (double) m.overflowSteps(),
                m.stepTimeMs(), m.dataTimeMs(), m.clipsPerSec(), m.featureStdMean(), m.featureStdMin(), m.rankMe()));
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String csvLine(StepMetrics m) {
        double[] v = values(m);
        int overflowColumn = 3 + m.lossPerMaskSet().size() + 5; // after lr, wd, momentum, grad_norm, loss_scale
        StringBuilder sb = new StringBuilder();
        sb.append(m.step()).append(',').append(m.epoch());
        for (int i = 2; i < v.length; i++) {
            sb.append(',');
            if (i == overflowColumn) {
                sb.append(m.overflowSteps()); // an integer column
            } else if (!Double.isNaN(v[i])) {
                sb.append(v[i]);
            }
        }
        return sb.toString();
    }

    private static String jsonLine(StepMetrics m, List<String> lossColumns) {
        double[] v = values(m);
        List<String> cols = columns(lossColumns);
        JsonObject o = new JsonObject();
        o.addProperty("step", m.step());
        o.addProperty("epoch", m.epoch());
        for (int i = 2; i < v.length; i++) {
            if (cols.get(i).equals("overflow_steps")) {
                o.addProperty("overflow_steps", m.overflowSteps());
            } else {
                o.add(cols.get(i), Double.isFinite(v[i]) ? new JsonPrimitive(v[i])
                        : Double.isNaN(v[i]) ? null : new JsonPrimitive(String.valueOf(v[i])));
            }
        }
        return o.toString();
    }

    private static Map<String, Double> parseCsv(List<String> names, String line) {
        String[] f = line.split(",", -1);
        if (f.length != names.size()) {
            throw new IllegalArgumentException("row has " + f.length + " fields, header " + names.size());
        }
        Map<String, Double> v = new HashMap<>();
        for (int j = 0; j < f.length; j++) {
            v.put(names.get(j), f[j].isEmpty() ? Double.NaN : Double.parseDouble(f[j]));
        }
        return v;
    }

    /** A row from values by column name; columns an earlier version lacked get NaN (overflow count 0). */
    private static StepMetrics fromNamed(Map<String, Double> v, List<String> lossColumns) {
        List<Double> perSet = new ArrayList<>();
        for (String name : lossColumns) {
            perSet.add(v.getOrDefault(name, Double.NaN));
        }
        double overflow = v.getOrDefault("overflow_steps", 0.0);
        return new StepMetrics(v.get("step").longValue(), v.get("epoch").intValue(), get(v, "loss"), perSet,
                get(v, "lr"), get(v, "wd"), get(v, "momentum"), get(v, "grad_norm"), get(v, "loss_scale"),
                Double.isNaN(overflow) ? 0 : (long) overflow, get(v, "step_time_ms"), get(v, "data_time_ms"),
                get(v, "clips_per_s"), get(v, "feat_std_mean"), get(v, "feat_std_min"), get(v, "rankme"));
    }

    private static double get(Map<String, Double> v, String name) {
        return v.getOrDefault(name, Double.NaN);
    }

    private static long stepOf(Path file, String line) {
        if (isCsv(file)) {
            return Long.parseLong(line.substring(0, line.indexOf(',')));
        }
        return JsonParser.parseString(line).getAsJsonObject().get("step").getAsLong();
    }

    private static boolean isCsv(Path file) {
        return file.getFileName().toString().endsWith(".csv");
    }
}
