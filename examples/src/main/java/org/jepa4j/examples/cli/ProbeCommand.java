package org.jepa4j.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jepa4j.core.io.AtomicFiles;
import org.jepa4j.train.features.FeatureIndex;
import org.jepa4j.train.features.FeatureRecord;
import org.jepa4j.train.features.FeatureSet;
import org.jepa4j.train.probe.ProbeConfig;
import org.jepa4j.train.probe.ProbeKind;
import org.jepa4j.train.probe.ProbeResult;
import org.jepa4j.train.probe.ProbeTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j probe}: trains a linear and/or an attentive probe ({@link ProbeTrainer}) on the features an
 * {@code extract} run wrote, reports held-out top-1 and saves each probe as safetensors plus a JSON summary.
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train probes on frozen features and report held-out top-1 accuracy.",
            "",
            "Labels come from the features' index (the source's sub-folder names or index-file labels), or from "
                    + "--labels. A seeded, stratified share of the samples (--held-out) is held out; all clips of "
                    + "a sample stay on one side and are averaged at evaluation.",
            "Writes OUT/probe-linear.safetensors, OUT/probe-attentive.safetensors and OUT/probe-results.json."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j probe --features features/",
            "  jepa4j probe --features features/ --probe attentive --epochs 40 --labels labels.txt --out probes/"
        })
public final class ProbeCommand implements Callable<Integer> {

    /** File of the JSON summary written next to the probes. */
    static final String RESULTS_FILE = "probe-results.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--features", paramLabel = "DIR", required = true,
            description = "Output folder of 'jepa4j extract' (holding index.csv).")
    Path features;

    @Option(names = "--probe", paramLabel = "KIND", defaultValue = "both",
            description = "linear, attentive or both (default: ${DEFAULT-VALUE}). The attentive probe needs token "
                    + "features.")
    String probe;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Index file of 'path label' lines giving each video's label (default: the labels in the "
                    + "features' index).")
    Path labels;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for the probes and " + RESULTS_FILE + " (default: the features folder).")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20",
            description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "16",
            description = "Clips per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "LR",
            description = "Peak learning rate (default: 1e-2 linear, 1e-3 attentive).")
    Double lr;

    @Option(names = "--held-out", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Share of each class's samples held out (default: ${DEFAULT-VALUE}).")
    double heldOut;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the split, initial weights and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws Exception {
        threadsOption.apply(spec.commandLine());
        List<ProbeKind> kinds = checkUsage();
        PrintWriter o = spec.commandLine().getOut();
        if (!Files.isDirectory(features)) {
            throw new NoSuchFileException(features.toString());
        }
        if (!Files.isRegularFile(features.resolve(FeatureIndex.FILE_NAME))) {
            throw new IOException(features + ": not a features folder of 'jepa4j extract' (no "
                    + FeatureIndex.FILE_NAME + ")");
        }
        boolean withTokens = kinds.contains(ProbeKind.ATTENTIVE);
        FeatureSet data = FeatureSet.load(features, withTokens);
        if (labels != null) {
            data = relabel(data, FeatureIndex.read(features.resolve(FeatureIndex.FILE_NAME)), labels);
        }
        Path outDir = out != null ? out : features;
        Files.createDirectories(outDir);
        o.printf(Locale.ROOT, "jepa4j probe: %d clips, %d classes %s, width %d%s%n", data.size(), data.numClasses(),
                data.labelNames(), data.width(), data.hasTokens() ? ", " + data.numTokens() + " tokens" : "");
        o.flush();
        JsonArray results = new JsonArray();
        for (ProbeKind kind : kinds) {
            ProbeConfig.Builder b = ProbeConfig.builder(kind).optEpochs(epochs).optBatchSize(batch)
                    .optHeldOutFraction(heldOut).optSeed(seed);
            if (lr != null) {
                b.optLr(lr);
            }
            ProbeConfig pc = b.build();
            String name = kind.name().toLowerCase(Locale.ROOT);
            ProbeResult r;
            try (ProgressDisplay bar = new ProgressDisplay("probe " + name, epochs)) {
                r = ProbeTrainer.train(data, pc, epoch -> bar.step(epoch, ""));
            }
            Path file = outDir.resolve("probe-" + name + ".safetensors");
            r.save(file);
            o.printf(Locale.ROOT, "jepa4j probe: %-9s held-out top-1 %.4f (%d samples; clips %.4f), train top-1 %.4f, "
                    + "chance %.4f -> %s%n", name, r.heldOutTop1(), r.heldOutSamples(), r.heldOutClipTop1(),
                    r.trainTop1(), r.chance(), file);
            o.flush();
            results.add(json(r, file));
        }
        JsonObject root = new JsonObject();
        root.addProperty("features", features.toAbsolutePath().toString());
        root.addProperty("clips", data.size());
        root.addProperty("classes", data.numClasses());
        root.add("probes", results);
        Path summary = outDir.resolve(RESULTS_FILE);
        AtomicFiles.writeString(summary, new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(root) + "\n");
        o.printf("jepa4j probe: summary %s%n", summary);
        return 0;
    }

    private List<ProbeKind> checkUsage() {
        if (epochs < 1 || batch < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs and --batch must be >= 1");
        }
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new ParameterException(spec.commandLine(), "--held-out must be in (0, 1), got " + heldOut);
        }
        if (lr != null && !(lr > 0)) {
            throw new ParameterException(spec.commandLine(), "--lr must be > 0, got " + lr);
        }
        return switch (probe) {
            case "linear" -> List.of(ProbeKind.LINEAR);
            case "attentive" -> List.of(ProbeKind.ATTENTIVE);
            case "both" -> List.of(ProbeKind.LINEAR, ProbeKind.ATTENTIVE);
            default -> throw new ParameterException(spec.commandLine(),
                    "--probe must be linear, attentive or both, got '" + probe + "'");
        };
    }

    /**
     * Replaces the labels of {@code data} with those of an index file, matched by media path (rows in index order).
     *
     * @throws IOException naming the first video without a label, or a malformed line
     */
    static FeatureSet relabel(FeatureSet data, List<FeatureRecord> rows, Path indexFile) throws IOException {
        if (!Files.isRegularFile(indexFile)) {
            throw new NoSuchFileException(indexFile.toString());
        }
        Path base = indexFile.toAbsolutePath().normalize().getParent();
        Map<Path, Integer> byPath = new HashMap<>();
        List<String> lines = Files.readAllLines(indexFile, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int cut = line.lastIndexOf(' ');
            String label = cut > 0 ? line.substring(cut + 1) : "";
            if (!label.matches("\\d+")) {
                throw new IOException(indexFile + " line " + (i + 1) + ": expected 'path label' with an integer "
                        + "label >= 0, got '" + line + "'");
            }
            Path p = Path.of(line.substring(0, cut).strip());
            byPath.put((p.isAbsolute() ? p : base.resolve(p)).normalize(), Integer.parseInt(label));
        }
        if (rows.size() != data.size()) {
            throw new IOException("the features' index has " + rows.size() + " rows but " + data.size()
                    + " were loaded");
        }
        int[] newLabels = new int[rows.size()];
        TreeSet<Integer> seen = new TreeSet<>();
        for (int i = 0; i < rows.size(); i++) {
            Path p = rows.get(i).path().toAbsolutePath().normalize();
            Integer l = byPath.get(p);
            if (l == null) {
                throw new IOException(indexFile + ": no label for " + p + " (extracted video)");
            }
            newLabels[i] = l;
            seen.add(l);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c <= seen.last(); c++) {
            names.add(Integer.toString(c));
        }
        return data.withLabels(newLabels, names);
    }

    private static JsonObject json(ProbeResult r, Path file) {
        JsonObject j = new JsonObject();
        j.addProperty("kind", r.config().kind().name().toLowerCase(Locale.ROOT));
        j.addProperty("heldOutTop1", r.heldOutTop1());
        j.addProperty("heldOutClipTop1", r.heldOutClipTop1());
        j.addProperty("trainTop1", r.trainTop1());
        j.addProperty("chance", r.chance());
        j.addProperty("heldOutSamples", r.heldOutSamples());
        j.addProperty("trainSamples", r.trainSamples());
        j.addProperty("numClasses", r.numClasses());
        double[] losses = r.epochLosses();
        j.addProperty("finalTrainLoss", losses.length == 0 ? null : finite(losses[losses.length - 1]));
        j.addProperty("config", r.config().toString());
        j.addProperty("file", file.toAbsolutePath().toString());
        return j;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
