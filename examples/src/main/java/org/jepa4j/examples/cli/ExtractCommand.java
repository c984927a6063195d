package org.jepa4j.examples.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.train.TrainingData;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.features.BadFile;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.ExtractionReport;
import org.jepa4j.train.features.FeatureExtractor;
import org.jepa4j.train.features.FeatureFormat;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.train.features.RunEncoderLoader;
import org.jepa4j.train.features.TensorFileExtractor;
import org.jepa4j.video.decode.ClipSampling;
import org.jepa4j.video.loader.ClipReading;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.transform.ClipTransform;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j extract}: frozen target-encoder features of every video or image of a source, from a jepa4j run
 * ({@link RunEncoderLoader}) or a Hugging Face model directory, written by {@link FeatureExtractor}; or, with
 * {@code --tensors}, the {@code last_hidden_state} of preprocessed pixels ({@link TensorFileExtractor}).
 */
@Command(
        name = "extract",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Extract frozen encoder features.",
            "",
            "Source mode (--source): per clip (segment x view) token features [N, D] and pooled features [D] as "
                    + "safetensors and/or .npy under OUT/features/, an index OUT/index.csv, and OUT/bad_files.csv "
                    + "listing files that could not be decoded (skipped, not replaced).",
            "Tensor mode (--tensors): pixel_values_videos [B,T,C,H,W] or pixel_values [B,C,H,W] in a safetensors "
                    + "file -> last_hidden_state [B,N,D] in the --out safetensors file.",
            "Spark (--engine spark): the same source mode as an Apache Spark job, one encoder per executor; by "
                    + "default a Parquet dataset OUT with one row per clip (unreadable files are rows with an error), "
                    + "with --format safetensors/npy/both the file layout above (docs/scaling.md)."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j extract --run runs/vjepa_tiny-synthetic --source videos/ --out features/",
            "  jepa4j extract --hf vjepa2-vitl-fpc64-256/ --source test.txt --format both --segments 2 --views 3 "
                    + "--out features/",
            "  jepa4j extract --hf vjepa2-vitl-fpc64-256/ --tensors inputs.safetensors --out outputs.safetensors",
            "  jepa4j extract --engine spark --master local[2] --hf vjepa2-vitl-fpc64-256/ --source videos/ "
                    + "--out features.parquet"
        })
public final class ExtractCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Where the encoder comes from: exactly one of --run and --hf. */
    static final class Model {
        @Option(names = "--run", paramLabel = "DIR",
                description = "A jepa4j run directory (target encoder of its latest checkpoint, clip settings from "
                        + "its config.yaml) or one checkpoints/step-N directory.")
        Path run;

        @Option(names = "--hf", paramLabel = "DIR",
                description = "A Hugging Face model directory (config.json + model.safetensors; vjepa2 or ijepa).")
        Path hf;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Model model;

    @Option(names = "--source", paramLabel = "PATH",
            description = "Videos or images: a folder (labels from sub-folder names), an index file ('path label' "
                    + "lines) or a list file. Repeatable.")
    List<Path> source = new ArrayList<>();

    @Option(names = "--tensors", paramLabel = "FILE",
            description = "Encode preprocessed pixels from this safetensors file instead of a source.")
    Path tensors;

    @Option(names = "--out", paramLabel = "PATH", required = true,
            description = "Output folder (source mode) or safetensors file (tensor mode).")
    Path out;

    @Option(names = "--format", paramLabel = "FMT",
            description = "safetensors, npy or both (the file layout), or parquet (--engine spark only) "
                    + "(default: safetensors; parquet with --engine spark).")
    String format;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "local",
            description = "local (this JVM) or spark (an Apache Spark job; see --master) (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master with --engine spark: local[N], spark://host:7077, yarn, k8s://... "
                    + "(default: spark-submit's --master, else local[*]).")
    String master;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Spark partitions (tasks) per wave with --engine spark (default: one per core, or one per "
                    + "256 samples when that is more).")
    Integer partitions;

    @Option(names = "--commit-every", paramLabel = "N",
            description = "With --engine spark and Parquet: samples per committed wave, the most an interruption can "
                    + "lose (default: 10000).")
    Integer commitEvery;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "4",
            description = "Videos (or tensor rows) per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "Decoding threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--frames", paramLabel = "N",
            description = "Frames per clip (default: the run's data.num_frames, or the model's frames per clip).")
    Integer frames;

    @Option(names = "--frame-step", paramLabel = "N",
            description = "Frame step within a clip (default: the run's data.sampling_rate, or 4).")
    Integer frameStep;

    @Option(names = "--crop", paramLabel = "PX",
            description = "Center-crop size (default: the run's data.crop_size, or the model's image size).")
    Integer crop;

    @Option(names = "--segments", paramLabel = "N", defaultValue = "1",
            description = "Temporal clips per video, spread over its length (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--views", paramLabel = "N", defaultValue = "1",
            description = "Spatial crops per clip along the long side (default: ${DEFAULT-VALUE}).")
    int views;

    @Option(names = "--resume",
            description = "Continue an interrupted extraction into the same --out: samples whose files are all there "
                    + "are kept, the rest are encoded (the folder's extraction.json must match these settings).")
    boolean resume;

    @Option(names = "--no-tokens", description = "Do not write token features (pooled only).")
    boolean noTokens;

    @Option(names = "--no-pooled", description = "Do not write pooled features (tokens only).")
    boolean noPooled;

    @Mixin
    DeviceThreadsOptions compute;

    @Override
    public Integer call() throws Exception {
        compute.applyThreads(spec.commandLine());
        Set<FeatureFormat> formats = checkUsage();
        PrintWriter o = spec.commandLine().getOut();
        if (spark()) {
            // the only place that reaches Spark's classes: without --engine spark they are never loaded
            return SparkExtract.run(this, formats, o);
        }
        Path modelPath = model.run != null ? model.run : model.hf;
        if (!Files.exists(modelPath)) {
            throw new NoSuchFileException(modelPath.toString());
        }
        EncoderLoader loader;
        TrainConfig runConfig = null;
        if (model.run != null) {
            RunEncoderLoader run = RunEncoderLoader.of(model.run);
            runConfig = run.config();
            loader = run;
        } else {
            if (!Files.isRegularFile(model.hf.resolve("config.json"))) {
                throw new IOException(model.hf + ": not a Hugging Face model directory (no config.json)");
            }
            loader = EncoderLoader.huggingFace(model.hf);
        }
        Device dev = compute.resolve();
        if (tensors != null) {
            if (!Files.isRegularFile(tensors)) {
                throw new NoSuchFileException(tensors.toString());
            }
            try (FrozenEncoder enc = FrozenEncoder.load(loader, dev);
                    ProgressDisplay bar = new ProgressDisplay("jepa4j extract", 1)) {
                long t0 = System.nanoTime();
                Shape shape = TensorFileExtractor.extract(enc, tensors, out, batch, bar);
                bar.close();
                o.printf(Locale.ROOT, "jepa4j extract: %s %s -> %s (%s) in %s%n", TensorFileExtractor.OUTPUT_KEY,
                        shape, out, enc.description(), PretrainCommand.duration((System.nanoTime() - t0) / 1e9));
            }
            return 0;
        }
        VideoSource videos = DataPaths.source(source);
        try (FrozenEncoder enc = FrozenEncoder.load(loader, dev)) {
            Clips c = clips(enc.config(), runConfig);
            o.printf(Locale.ROOT, "jepa4j extract: %d %s from %s, encoder %s (%s), %s -> %s%n", videos.size(),
                    c.image() ? "images" : "videos", videos.description(), enc.description(), dev, c.text(),
                    out.toAbsolutePath());
            o.flush();
            ExtractionReport r;
            try (ProgressDisplay bar = new ProgressDisplay("jepa4j extract", videos.size())) {
                FeatureExtractor extractor = FeatureExtractor.builder()
                        .setEncoder(enc)
                        .optReading(new ClipReading(c.sampling(), c.transform(), c.image(), batch, workers))
                        .optFormats(formats)
                        .optTokens(!noTokens)
                        .optPooled(!noPooled)
                        .optProgress(bar)
                        .optResume(resume)
                        .build();
                r = extractor.extract(videos, out);
            }
            o.printf(Locale.ROOT, "jepa4j extract: %d clips of %d/%d samples in %s (%.1f clips/s)%s; index %s%n",
                    r.clipsWritten(), r.samplesWritten(), r.samples(), PretrainCommand.duration(r.seconds()),
                    r.clipsPerSecond(), r.samplesReused() > 0 ? ", " + r.samplesReused() + " samples kept from before"
                            : "", r.index());
            if (!r.badFiles().isEmpty()) {
                o.printf("jepa4j extract: %d file(s) could not be decoded and were skipped (listed in %s):%n",
                        r.badFiles().size(), out.resolve(FeatureExtractor.BAD_FILES));
                printBadFiles(o, r.badFiles());
            }
            o.flush();
        }
        return 0;
    }

    /** Prints the first ten unreadable files, one a line, and how many more there are. */
    static void printBadFiles(PrintWriter o, List<BadFile> bad) {
        for (BadFile bf : bad.subList(0, Math.min(10, bad.size()))) {
            o.printf("  %s: %s%n", bf.path(), bf.reason());
        }
        if (bad.size() > 10) {
            o.printf("  ... and %d more%n", bad.size() - 10);
        }
    }

    /** The clip settings of an extraction: options first, then the run's config, then the encoder's. */
    record Clips(ClipSampling sampling, ClipTransform transform, boolean image, String text) {}

    /**
     * Resolves the clip settings: {@code --frames/--frame-step/--crop} when given, else the run's data section
     * (frames, sampling rate or fps, crop, normalization), else the encoder's frames and image size with step 4.
     */
    Clips clips(VitConfig vc, TrainConfig runConfig) {
        boolean image = !vc.isVideo();
        int f = frames != null ? frames : runConfig != null ? runConfig.data().numFrames() : vc.frames();
        int step = frameStep != null ? frameStep : runConfig != null ? runConfig.data().samplingRate() : 4;
        int size = crop != null ? crop : runConfig != null ? runConfig.data().cropSize() : vc.imageSize();
        ClipTransform transform = ClipTransform.eval(size, views);
        if (runConfig != null) {
            transform = transform.withNormalization(TrainingData.normalization(runConfig));
        }
        // a run trained at a fixed frame rate (data.fps) is read the same way unless --frame-step says otherwise
        Double fps = frameStep == null && runConfig != null ? runConfig.data().fps() : null;
        ClipSampling sampling = image ? ClipSampling.singleFrame()
                : (fps != null ? ClipSampling.ofFps(f, fps) : ClipSampling.ofStep(f, step)).withClipsPerVideo(segments);
        String clip = image ? "" : f + " frames " + (fps != null ? "at " + fps + " fps" : "step " + step) + ", ";
        return new Clips(sampling, transform, image, String.format(Locale.ROOT, "%s%d px, %d segment(s) x %d view(s)",
                clip, size, segments, views));
    }

    /** Whether {@code --engine spark} was given. */
    boolean spark() {
        return "spark".equals(engine);
    }

    private Set<FeatureFormat> checkUsage() {
        if (tensors == null && source.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give --source (videos or images) or --tensors FILE");
        }
        if (tensors != null && !source.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give --source or --tensors, not both");
        }
        if (batch < 1 || workers < 1 || segments < 1 || views < 1) {
            throw new ParameterException(spec.commandLine(), "--batch, --workers, --segments and --views must be >= 1");
        }
        for (Integer v : new Integer[] {frames, frameStep, crop}) {
            if (v != null && v < 1) {
                throw new ParameterException(spec.commandLine(), "--frames, --frame-step and --crop must be >= 1");
            }
        }
        if (noTokens && noPooled) {
            throw new ParameterException(spec.commandLine(), "--no-tokens and --no-pooled leave nothing to write");
        }
        compute.checkDevice(spec.commandLine());
        if (!engine.equals("local") && !engine.equals("spark")) {
            throw new ParameterException(spec.commandLine(), "--engine must be local or spark, got '" + engine + "'");
        }
        if (!spark() && (master != null || partitions != null || commitEvery != null)) {
            throw new ParameterException(spec.commandLine(),
                    "--master, --partitions and --commit-every need --engine spark");
        }
        if (spark() && tensors != null) {
            throw new ParameterException(spec.commandLine(), "--tensors runs in this JVM: drop --engine spark");
        }
        if ((partitions != null && partitions < 1) || (commitEvery != null && commitEvery < 1)) {
            throw new ParameterException(spec.commandLine(), "--partitions and --commit-every must be >= 1");
        }
        String fmt = format != null ? format : spark() ? "parquet" : "safetensors";
        return switch (fmt) {
            case "safetensors" -> EnumSet.of(FeatureFormat.SAFETENSORS);
            case "npy" -> EnumSet.of(FeatureFormat.NPY);
            case "both" -> EnumSet.of(FeatureFormat.SAFETENSORS, FeatureFormat.NPY);
            case "parquet" -> {
                if (!spark()) {
                    throw new ParameterException(spec.commandLine(), "--format parquet needs --engine spark");
                }
                yield EnumSet.noneOf(FeatureFormat.class); // empty: the Parquet layout
            }
            default -> throw new ParameterException(spec.commandLine(),
                    "--format must be safetensors, npy, both or parquet, got '" + fmt + "'");
        };
    }
}
