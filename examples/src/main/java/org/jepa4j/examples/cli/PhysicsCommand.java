package org.jepa4j.examples.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jepa4j.train.features.RunEncoderLoader;
import org.jepa4j.train.physics.ModelSurprise;
import org.jepa4j.train.physics.PairSurprise;
import org.jepa4j.train.physics.PairsFile;
import org.jepa4j.train.physics.PhysicsEvaluation;
import org.jepa4j.train.physics.PhysicsReport;
import org.jepa4j.train.physics.PixelSurprise;
import org.jepa4j.train.physics.SkippedPair;
import org.jepa4j.train.physics.SurpriseCurves;
import org.jepa4j.train.physics.SurpriseModel;
import org.jepa4j.train.physics.VideoFrames;
import org.jepa4j.train.physics.VideoPair;
import org.jepa4j.train.physics.VideoSurprise;
import org.jepa4j.video.decode.ClipDecoder;
import org.jepa4j.video.synthetic.PossibleVideos;
import org.jepa4j.video.synthetic.SceneLook;
import org.jepa4j.video.synthetic.Violation;
import org.jepa4j.video.synthetic.ViolationPairs;
import org.jepa4j.video.transform.Normalization;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j physics}: intuitive physics by violation of expectation. Scores matched possible/impossible pairs
 * (a pairs file, or the synthetic benchmark it generates) by a model's surprise ({@link PhysicsEvaluation}), next to
 * the same model at random initialization and a pixel baseline; scores single videos; writes possible-only
 * training videos. Prints one JSON object on standard output.
 */
@Command(
        name = "physics",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Intuitive physics: score possible/impossible video pairs by a V-JEPA's surprise.",
            "",
            "Surprise of a window = mean L1 between the predicted future (context encoder on the first C frames + "
                    + "predictor) and the target encoder's layer-normed features of the later frames; the minimum "
                    + "over C; per video the mean (pairwise accuracy) and max (AUROC) over windows.",
            "Prints ONE JSON object: pairs, pairwise_accuracy, auroc, by_type, baselines (random_init over seeds, "
                    + "pixel), context_frames. Pairs sharing a 'group' in the pairs file (balanced quadruplets) "
                    + "are scored together (then also groups, pair_level_accuracy). Progress and warnings (pairs "
                    + "left out) go to standard error."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j physics --write-training physics-train/ --count 400",
            "  jepa4j pretrain --data physics-train/ --config physics_tiny",
            "  jepa4j physics --run runs/physics_tiny --synthetic --pairs-per-type 200 --out physics-eval/",
            "  jepa4j physics --hf models/vjepa2-vitl --pairs intphys/pairs.csv --context 2,4,6 --stride 2",
            "  jepa4j physics --run runs/physics_tiny --videos a.mp4 b.mp4 --out curves/"
        })
public final class PhysicsCommand implements Callable<Integer> {

    static final class Model {
        @Option(names = "--run", paramLabel = "RUN", description = "A jepa4j run directory (or checkpoint).")
        Path run;

        @Option(names = "--hf", paramLabel = "DIR", description = "A Hugging Face V-JEPA 2 directory.")
        Path hf;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Model model;

    @Option(names = "--pairs", paramLabel = "CSV",
            description = "Pairs file: columns possible,impossible[,type], paths relative to the file.")
    Path pairs;

    @Option(names = "--synthetic", description = "Generate the synthetic benchmark (into OUT/benchmark, or a "
            + "temporary folder) and score it.")
    boolean synthetic;

    @Option(names = "--videos", paramLabel = "VIDEO", arity = "1..*",
            description = "Score single videos (mean and max surprise per video).")
    List<Path> videos;

    @Option(names = "--write-training", paramLabel = "DIR",
            description = "Write possible-only training videos of the synthetic world into DIR and exit.")
    Path writeTraining;

    @Option(names = "--write-benchmark", paramLabel = "DIR",
            description = "Write the synthetic benchmark (videos + pairs.csv) into DIR and exit; score it later with "
                    + "--pairs DIR/pairs.csv.")
    Path writeBenchmark;

    @Option(names = "--window", paramLabel = "FRAMES", defaultValue = "16",
            description = "--write-benchmark: frames that must follow the latest violation, at least one window of "
                    + "the models to score (default: ${DEFAULT-VALUE}; --synthetic uses the model's window).")
    int window;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write per-video surprise curves (CSV) and per-pair plots (PNG) here.")
    Path out;

    @Option(names = "--context", paramLabel = "C,C,...", split = ",",
            description = "Context lengths in frames (default: the run's eval.physics_context, e.g. 10 for "
                    + "physics_long; else 2,4,6 where they fit the clip).")
    List<Integer> context;

    @Option(names = "--stride", paramLabel = "N", defaultValue = "2",
            description = "Frames between window starts (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--frame-step", paramLabel = "N",
            description = "Keep every N-th frame (default: the run's sampling_rate; 1 for --hf).")
    Integer frameStep;

    @Option(names = "--random-seeds", paramLabel = "N", defaultValue = "5",
            description = "Random-init baseline seeds (default: ${DEFAULT-VALUE}; 0 skips it).")
    int randomSeeds;

    @Option(names = "--pixel", paramLabel = "KIND", defaultValue = "last-frame",
            description = "Pixel baseline: last-frame or constant-velocity (default: ${DEFAULT-VALUE}).")
    String pixel;

    @Option(names = "--pairs-per-type", paramLabel = "N", defaultValue = "50",
            description = "--synthetic: pairs per violation type (default: ${DEFAULT-VALUE}; 200 for a ~+-5 point "
                    + "interval).")
    int pairsPerType;

    @Option(names = "--types", paramLabel = "T,T,...", split = ",",
            description = "--synthetic: violation types (default: all of teleport, vanish, antigravity, color, wall, "
                    + "teleport_occluded, vanish_occluded, color_occluded).")
    List<String> types;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "20260",
            description = "--synthetic / --write-training: seed of the scenes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "48",
            description = "--synthetic / --write-training: frames per video (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "16",
            description = "--synthetic / --write-training: frame rate (default: ${DEFAULT-VALUE}).")
    int fps;

    @Option(names = "--look", paramLabel = "LOOK", defaultValue = "standard",
            description = "--synthetic / --write-training: standard, or other (other disc sizes and colours, "
                    + "textured background, floor, occluding bar) (default: ${DEFAULT-VALUE}).")
    String look;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "64",
            description = "--synthetic / --write-training: frame size in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--count", paramLabel = "N", defaultValue = "400",
            description = "--write-training: number of videos (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8",
            description = "Windows encoded together (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    DeviceThreadsOptions compute;

    @Override
    public Integer call() throws Exception {
        compute.applyThreads(spec.commandLine());
        PrintWriter o = spec.commandLine().getOut();
        int modes = (pairs != null ? 1 : 0) + (synthetic ? 1 : 0) + (videos != null ? 1 : 0)
                + (writeTraining != null ? 1 : 0) + (writeBenchmark != null ? 1 : 0);
        if (modes != 1) {
            throw new ParameterException(spec.commandLine(),
                    "give exactly one of --pairs, --synthetic, --videos, --write-training, --write-benchmark");
        }
        SceneLook sceneLook = sceneLook();
        if (writeTraining != null) {
            return writeTraining(o, sceneLook);
        }
        if (writeBenchmark != null) {
            Path csv = writeBenchmark(writeBenchmark, sceneLook, window);
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("pairs_file", csv.toAbsolutePath().toString());
            root.put("pairs", Files.readAllLines(csv).size() - 1);
            o.println(new GsonBuilder().disableHtmlEscaping().create().toJson(root));
            o.flush();
            return 0;
        }
        if (model == null) {
            throw new ParameterException(spec.commandLine(), "give a model: --run RUN or --hf DIR");
        }
        if (stride < 1 || randomSeeds < 0 || batch < 1 || (frameStep != null && frameStep < 1)) {
            throw new ParameterException(spec.commandLine(),
                    "--stride, --batch and --frame-step must be >= 1 and --random-seeds >= 0");
        }
        compute.checkDevice(spec.commandLine());
        Path modelPath = model.run != null ? model.run : model.hf;
        if (!Files.exists(modelPath)) {
            throw new NoSuchFileException(modelPath.toString());
        }
        Device dev = compute.resolve();
        int step = frameStep != null ? frameStep
                : model.run != null ? RunEncoderLoader.of(model.run).config().data().samplingRate() : 1;
        try (SurpriseModel m = model.run != null ? SurpriseModel.fromRun(model.run, dev)
                : SurpriseModel.fromHf(model.hf, dev)) {
            if (videos != null) {
                return scoreVideos(o, m, step);
            }
            Path csv = pairs;
            if (synthetic) {
                csv = generate(sceneLook, m, step);
            }
            List<VideoPair> list = PairsFile.read(csv);
            PhysicsReport report;
            try (ProgressDisplay bar = new ProgressDisplay("jepa4j physics", list.size())) {
                report = PhysicsEvaluation.builder().setModel(m).setPairs(list).optContexts(context)
                        .optStride(stride).optFrameStep(step).optRandomSeeds(randomSeeds)
                        .optPixelExtrapolation(extrapolation()).optBatchSize(batch)
                        .optProgress(done -> bar.onProgress(done, list.size(), 0)).build().run();
            }
            PrintWriter err = spec.commandLine().getErr();
            for (SkippedPair s : report.skipped()) {
                err.println("jepa4j physics: left out " + s.pair().possible() + " / " + s.pair().impossible()
                        + ": " + s.reason());
            }
            err.printf(Locale.ROOT, "jepa4j physics: random-init pairwise accuracy per seed %s%n",
                    java.util.Arrays.toString(report.randomInitAccuracy()));
            err.flush();
            if (out != null) {
                writeCurves(report);
            }
            o.println(report.toJson());
            o.flush();
            return 0;
        }
    }

    private SceneLook sceneLook() {
        return switch (look) {
            case "standard" -> SceneLook.standard(size);
            case "other" -> SceneLook.other(size);
            default -> throw new ParameterException(spec.commandLine(),
                    "--look must be standard or other, got '" + look + "'");
        };
    }

    private PixelSurprise.Extrapolation extrapolation() {
        return switch (pixel) {
            case "last-frame" -> PixelSurprise.Extrapolation.LAST_FRAME;
            case "constant-velocity" -> PixelSurprise.Extrapolation.CONSTANT_VELOCITY;
            default -> throw new ParameterException(spec.commandLine(),
                    "--pixel must be last-frame or constant-velocity, got '" + pixel + "'");
        };
    }

    private int writeTraining(PrintWriter o, SceneLook sceneLook) throws IOException {
        List<Path> files;
        try (ProgressDisplay bar = new ProgressDisplay("jepa4j physics: training videos", count)) {
            files = PossibleVideos.write(writeTraining, count, frames, fps, sceneLook, seed,
                    (i, n) -> bar.onProgress(i, n, 0));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("training_videos", files.size());
        root.put("folder", writeTraining.toAbsolutePath().toString());
        root.put("frames", frames);
        root.put("fps", fps);
        o.println(new GsonBuilder().disableHtmlEscaping().create().toJson(root));
        o.flush();
        return 0;
    }

    private Path generate(SceneLook sceneLook, SurpriseModel m, int step) throws IOException {
        Path folder = out != null ? out.resolve("benchmark") : Files.createTempDirectory("jepa4j-physics-");
        // every violation is followed by one whole window: the model's clip length at the frame step it is scored
        // with (the run's sampling_rate unless --frame-step), (frames - 1) * step + 1 raw frames
        return writeBenchmark(folder, sceneLook, (m.frames() - 1) * step + 1);
    }

    private Path writeBenchmark(Path folder, SceneLook sceneLook, int windowFrames) throws IOException {
        List<Violation> kinds = types == null ? Violation.all() : types.stream().map(Violation::parse).toList();
        if (windowFrames < 1 || windowFrames >= frames / 2) {
            throw new ParameterException(spec.commandLine(), "a window of " + windowFrames + " frames does not fit "
                    + frames + "-frame videos whose violations happen in the second half; use --frames > "
                    + 2 * windowFrames);
        }
        ViolationPairs.Spec s = new ViolationPairs.Spec(pairsPerType, frames, fps, windowFrames, sceneLook, kinds,
                seed);
        try (ProgressDisplay bar = new ProgressDisplay("jepa4j physics: benchmark", (long) pairsPerType
                * kinds.size())) {
            return ViolationPairs.write(folder, s, (i, n) -> bar.onProgress(i, n, 0));
        }
    }

    private int scoreVideos(PrintWriter o, SurpriseModel m, int step) throws IOException {
        List<Integer> contexts = context != null ? context : PhysicsEvaluation.defaultContexts(m);
        ModelSurprise measure = new ModelSurprise(m, contexts, stride, batch);
        List<Object> rows = new ArrayList<>();
        try (ClipDecoder decoder = new ClipDecoder()) {
            for (Path v : videos) {
                if (!Files.isRegularFile(v)) {
                    throw new NoSuchFileException(v.toString());
                }
                VideoFrames frames = VideoFrames.read(decoder, v, m.size(), step);
                VideoSurprise s;
                try (NDManager nd = NDManager.newBaseManager(m.device())) {
                    s = measure.score(frames.toTensor(nd, Normalization.IMAGENET));
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("video", v.toString());
                row.put("frames", frames.frames());
                row.put("windows", s.windows().size());
                row.put("mean_surprise", s.mean());
                row.put("max_surprise", s.max());
                rows.add(row);
                if (out != null) {
                    String stem = stem(v);
                    SurpriseCurves.writeCsv(out.resolve(stem + ".csv"), s, contexts);
                    SurpriseCurves.plotVideo(out.resolve(stem + ".png"), v.getFileName().toString(), s);
                }
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("videos", rows);
        root.put("context_frames", contexts);
        o.println(new GsonBuilder().disableHtmlEscaping().create().toJson(root));
        o.flush();
        return 0;
    }

    private void writeCurves(PhysicsReport report) throws IOException {
        Path dir = out.resolve("curves");
        int i = 0;
        for (PairSurprise p : report.pairs()) {
            String stem = String.format(Locale.ROOT, "%04d_%s", i++, p.pair().type());
            VideoSurprise pos = p.possible().get(0);
            VideoSurprise imp = p.impossible().get(0);
            SurpriseCurves.writeCsv(dir.resolve(stem + "_possible.csv"), pos, report.contexts());
            SurpriseCurves.writeCsv(dir.resolve(stem + "_impossible.csv"), imp, report.contexts());
            SurpriseCurves.plotPair(dir.resolve(stem + ".png"), stem + " (" + p.pair().impossible().getFileName()
                    + ")", pos, imp, p.firstDifference());
        }
        StringBuilder skipped = new StringBuilder("possible,impossible,type,reason\n");
        for (SkippedPair s : report.skipped()) {
            skipped.append(s.pair().possible()).append(',').append(s.pair().impossible()).append(',')
                    .append(s.pair().type()).append(",\"").append(s.reason()).append("\"\n");
        }
        Files.writeString(out.resolve("skipped_pairs.csv"), skipped);
        Files.writeString(out.resolve("report.json"), report.toJson() + "\n");
    }

    private static String stem(Path v) {
        String name = v.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
