package org.jepa4j.train.metrics;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-step metrics file, CSV ({@code .csv}) or JSON lines ({@code .jsonl}), chosen by the file extension.
 * Each row is flushed when appended. On resume, rows after the checkpoint's step (logged by the interrupted
 * run after its last checkpoint) are dropped so the file stays one row per step.
 *
 * <p>Columns: step, epoch, loss, loss_set0..loss_setK-1, lr, wd, momentum, grad_norm, step_time_ms,
 * data_time_ms, clips_per_s, feat_std_mean, feat_std_min, rankme. Unmeasured values are empty (CSV) or
 * null (JSONL).
 */
public final class MetricsLog implements Closeable {

    private final Path file;
    private final boolean csv;
    private final int numMaskSets;
    private final BufferedWriter out;

    private MetricsLog(Path file, int numMaskSets, BufferedWriter out) {
        this.file = file;
        this.csv = isCsv(file);
        this.numMaskSets = numMaskSets;
        this.out = out;
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
        if (!isCsv(file) && !file.getFileName().toString().endsWith(".jsonl")) {
            throw new IllegalArgumentException("metrics file must end in .csv or .jsonl: " + file);
        }
        if (numMaskSets < 1) {
            throw new IllegalArgumentException("numMaskSets must be >= 1, got " + numMaskSets);
        }
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        String header = String.join(",", columns(numMaskSets));
        List<String> keep = new ArrayList<>();
        if (Files.exists(abs)) {
            List<String> lines = Files.readAllLines(abs, StandardCharsets.UTF_8);
            int first = 0;
            if (isCsv(abs) && !lines.isEmpty()) {
                if (!lines.get(0).equals(header)) {
                    throw new IOException(abs + ": existing CSV header does not match " + numMaskSets
                            + " mask sets: " + lines.get(0));
                }
                first = 1;
            }
            for (int i = first; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (stepOf(abs, line) <= resumeAfterStep) {
                        keep.add(line);
                    }
                } catch (RuntimeException e) {
                    // A torn last line of a crashed run: drop it.
                }
            }
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        List<String> rewritten = new ArrayList<>();
        if (isCsv(abs)) {
            rewritten.add(header);
        }
        rewritten.addAll(keep);
        Files.write(tmp, rewritten, StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        BufferedWriter w = Files.newBufferedWriter(abs, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return new MetricsLog(abs, numMaskSets, w);
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    /**
     * Appends one row and flushes it.
     *
     * @param m the step's metrics; its per-mask-set list must have {@code numMaskSets} entries
     * @throws IOException if writing fails
     */
    public void append(StepMetrics m) throws IOException {
        if (m.lossPerMaskSet().size() != numMaskSets) {
            throw new IllegalArgumentException("expected " + numMaskSets + " per-mask-set losses, got "
                    + m.lossPerMaskSet().size());
        }
        double[] v = values(m);
        if (csv) {
            StringBuilder sb = new StringBuilder();
            sb.append(m.step()).append(',').append(m.epoch());
            for (int i = 2; i < v.length; i++) {
                sb.append(',');
                if (!Double.isNaN(v[i])) {
                    sb.append(v[i]);
                }
            }
            out.write(sb.toString());
        } else {
            List<String> cols = columns(numMaskSets);
            JsonObject o = new JsonObject();
            o.addProperty("step", m.step());
            o.addProperty("epoch", m.epoch());
            for (int i = 2; i < v.length; i++) {
                o.add(cols.get(i), Double.isFinite(v[i]) ? new JsonPrimitive(v[i])
                        : Double.isNaN(v[i]) ? null : new JsonPrimitive(String.valueOf(v[i])));
            }
            out.write(o.toString());
        }
        out.newLine();
        out.flush();
    }

    /**
     * Reads a metrics file back (for plots or analysis).
     *
     * @param file a file written by this class
     * @return its rows in file order
     * @throws IOException if the file cannot be read or parsed
     */
    public static List<StepMetrics> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<StepMetrics> rows = new ArrayList<>();
        if (isCsv(file)) {
            if (lines.isEmpty()) {
                return rows;
            }
            int sets = lines.get(0).split(",", -1).length - 13;
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String[] f = lines.get(i).split(",", -1);
                double[] v = new double[f.length];
                for (int j = 0; j < f.length; j++) {
                    v[j] = f[j].isEmpty() ? Double.NaN : Double.parseDouble(f[j]);
                }
                rows.add(fromValues(v, sets));
            }
        } else {
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                int sets = o.size() - 13;
                List<String> cols = columns(sets);
                double[] v = new double[cols.size()];
                for (int j = 0; j < cols.size(); j++) {
                    JsonElement e = o.get(cols.get(j));
                    v[j] = e == null || e.isJsonNull() ? Double.NaN : Double.parseDouble(e.getAsString());
                }
                rows.add(fromValues(v, sets));
            }
        }
        return rows;
    }

    /** Flushes and closes the file. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    static List<String> columns(int sets) {
        List<String> c = new ArrayList<>(List.of("step", "epoch", "loss"));
        for (int i = 0; i < sets; i++) {
            c.add("loss_set" + i);
        }
        c.addAll(List.of("lr", "wd", "momentum", "grad_norm", "step_time_ms", "data_time_ms", "clips_per_s",
                "feat_std_mean", "feat_std_min", "rankme"));
        return c;
    }

    private static double[] values(StepMetrics m) {
        int k = m.lossPerMaskSet().size();
        double[] v = new double[13 + k];
        v[0] = m.step();
        v[1] = m.epoch();
        v[2] = m.loss();
        for (int i = 0; i < k; i++) {
            v[3 + i] = m.lossPerMaskSet().get(i);
        }
        double[] rest = {m.lr(), m.wd(), m.momentum(), m.gradNorm(), m.stepTimeMs(), m.dataTimeMs(),
            m.clipsPerSec(), m.featureStdMean(), m.featureStdMin(), m.rankMe()};
        System.arraycopy(rest, 0, v, 3 + k, rest.length);
        return v;
    }

    private static StepMetrics fromValues(double[] v, int sets) {
        List<Double> perSet = new ArrayList<>();
        for (int i = 0; i < sets; i++) {
            perSet.add(v[3 + i]);
        }
        int o = 3 + sets;
        return new StepMetrics((long) v[0], (int) v[1], v[2], perSet, v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4],
                v[o + 5], v[o + 6], v[o + 7], v[o + 8], v[o + 9]);
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
