package org.jepa4j.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jepa4j.train.world.WorldModel;
import org.jepa4j.train.world.WorldModelEvaluation;
import org.jepa4j.train.world.WorldModelTrainer;
import org.jepa4j.train.world.WorldTrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j world train}: trains an action-conditioned predictor on a frozen encoder's features of an episode
 * folder ({@link WorldModelTrainer}); with {@code --eval}, scores it on held-out episodes against the
 * copy-the-last-frame baseline ({@link WorldModelEvaluation}).
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train a world model (V-JEPA 2-AC action-conditioned predictor) on frozen features.",
            "",
            "DATA holds one folder per episode: frames.mp4 (or frames/*.png|jpg), actions.csv (a row per transition "
                    + "or per frame), states.csv (a row per frame), optional episode.json {\"fps\": ...}; an optional "
                    + "episodes.txt lists them. Running again with the same --out resumes."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j world train --data episodes/ --encoder vjepa2-vitl-fpc64-256/ --out runs/world --cache",
            "  jepa4j world train --data episodes/ --encoder runs/vjepa2_tiny --out runs/world "
                    + "--set optimization.epochs=20 --set model.depth=6 --eval held_out/"
        })
public final class WorldTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "The episode folder.")
    Path data;

    @Option(names = "--encoder", paramLabel = "RUN|HF_DIR", required = true,
            description = "The frozen encoder: a jepa4j run (or checkpoint) directory or a Hugging Face V-JEPA 2 "
                    + "directory.")
    Path encoder;

    @Option(names = "--out", paramLabel = "RUN", required = true, description = "The run directory.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML training configuration (sections data, model, loss, optimization, meta, logging).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. optimization.epochs=20 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--cache",
            description = "Cache the encoder's features on disk (RUN/feature_cache/): each frame is encoded once.")
    boolean cache;

    @Option(names = "--eval", paramLabel = "DIR",
            description = "Held-out episodes: after training, print teacher-forcing and rollout losses against the "
                    + "copy-the-last-frame baseline.")
    Path eval;

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "cpu, gpu, gpu:N or auto (default: the configuration's meta.device, auto).")
    String device;

    @Option(names = "--no-progress", description = "No console progress bar.")
    boolean noProgress;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws Exception {
        threadsOption.apply(spec.commandLine());
        DeviceOption.check(spec.commandLine(), device);
        DataPaths.requireExisting(data, encoder, config, eval);
        WorldTrainConfig cfg;
        try {
            cfg = config != null ? WorldTrainConfig.read(config) : WorldTrainConfig.defaultConfig();
            cfg = cfg.withOverrides(overrides);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (cache) {
            cfg = cfg.with("meta.feature_cache", "run");
        }
        if (device != null) {
            cfg = cfg.with("meta.device", device);
        }
        if (noProgress) {
            cfg = cfg.with("logging.progress_bar", false);
        }
        PrintWriter o = spec.commandLine().getOut();
        WorldModelTrainer.Summary s = WorldModelTrainer.builder().setData(data).setEncoder(encoder)
                .setRunDirectory(out).optConfig(cfg).build().installSignalHandlers().fit();
        o.printf(Locale.ROOT, "jepa4j world train: %d of %d steps%s, final loss %.4f (teacher forcing %.4f, rollout "
                + "%.4f) in %s%n", s.steps(), s.totalSteps(), s.resumedFrom() > 0 ? " (resumed at " + s.resumedFrom()
                + ")" : "", s.finalLoss(), s.finalTeacherForcing(), s.finalRollout(),
                PretrainCommand.duration(s.trainSeconds() + s.cacheSeconds()));
        if (!s.skippedEpisodes().isEmpty()) {
            o.printf(Locale.ROOT, "  %d episode(s) shorter than a clip skipped: %s%n", s.skippedEpisodes().size(),
                    s.skippedEpisodes());
        }
        o.printf(Locale.ROOT, "  run %s: metrics.csv, plots/, checkpoint %s%n", s.runDirectory(), s.checkpoint());
        if (eval != null) {
            try (WorldModel wm = WorldModel.load(out, encoder, null)) {
                WorldModelEvaluation.Result r = WorldModelEvaluation.evaluate(wm, eval, 256);
                o.printf(Locale.ROOT, "  held-out %s: %s%n", eval, r);
            }
        }
        return 0;
    }
}
