package org.jepa4j.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jepa4j.core.io.AtomicFiles;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.train.Trainer;
import org.jepa4j.train.TrainingSummary;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.train.world.FrameEncoder;
import org.jepa4j.train.world.WorldModelTrainer;
import org.jepa4j.train.world.WorldTrainConfig;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.TwoRoomEpisodes;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomVideos;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j world demo}: the whole world-model pipeline on the CPU with built-in defaults: collect two-room
 * episodes and videos, pretrain a small V-JEPA 2 encoder on the videos with jepa4j's own pretraining, freeze it,
 * train the action-conditioned predictor on its features (and the same recipe on an untrained encoder's features
 * for the baseline), then plan toward goal images and print the {@code world plan} JSON.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The world-model pipeline end to end on the CPU: collect -> pretrain a small V-JEPA 2 encoder on the toy "
                    + "world's videos -> freeze -> train the action-conditioned predictor -> plan toward goal images.",
            "",
            "Writes OUT/{data, encoder, world, world_untrained, plan} and prints the 'world plan' JSON; "
                    + "'jepa4j world plan --run OUT' plans again on other seeds."
        },
        footer = {"", "Examples:", "  jepa4j world demo", "  jepa4j world demo --out runs/world-demo --episodes 100"})
public final class WorldDemoCommand implements Callable<Integer> {

    /** Default output folder. */
    static final String DEFAULT_OUT = "runs/world-demo";
    /** Log of the child JVM training the predictor on the trained encoder, in the output folder. */
    static final String WORLD_TRAIN_LOG = "world_train.log";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = DEFAULT_OUT,
            description = "Output folder, must not hold a finished demo (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "100",
            description = "Planning episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the planning episodes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--quick", description = "A tiny pipeline for tests (minutes become seconds; results meaningless).")
    boolean quick;

    @Mixin
    ThreadsOption threadsOption;

    /**
     * Sizes of one demo.
     *
     * @param trainEpisodes random-walk episodes the predictor trains on
     * @param videos videos the encoder pretrains on
     * @param pretrainSteps encoder pretraining steps
     * @param worldEpochs predictor epochs
     * @param worldIpe predictor steps per epoch
     * @param worldBatch predictor batch size in clips ({@code data.batch_size})
     * @param predictorWidth predictor width ({@code model.predictor_embed_dim})
     * @param predictorDepth predictor blocks ({@code model.depth})
     * @param residual whether the predictor outputs the change of the tokens ({@code model.residual})
     * @param clipFrames frames per training clip ({@code data.clip_frames})
     * @param autoSteps rollout steps of the loss ({@code loss.auto_steps}, at most clipFrames - 1)
     * @param planner the planner's settings
     * @param world the two-room world the episodes and videos are collected in
     * @param emaStart the encoder's EMA momentum at the start of pretraining (to 1 at the end)
     */
    record Recipe(int trainEpisodes, int videos, int pretrainSteps, int worldEpochs, int worldIpe, int worldBatch,
            int predictorWidth, int predictorDepth, boolean residual, int clipFrames, int autoSteps,
            ToyWorldPlanning.Settings planner, TwoRoomSpec world, double emaStart) {

        /**
         * The demo (session 9): the two-glow world whose glows spread around the wall ({@link
         * TwoRoomSpec#aroundWall()}), an encoder pretrained 100 steps with EMA momentum 0.998 to 1, the predictor of
         * session 6, and a planner that escapes local minima of the energy ({@code --escape 8}).
         */
        static Recipe full() {
            return new Recipe(1000, 150, 100, 20, 100, 16, 96, 1, false, 7, 6, ToyWorldPlanning.Settings.builder()
                    .build(), TwoRoomSpec.aroundWall(), 0.998);
        }

        static Recipe quick() {
            ToyWorldPlanning.Settings tiny = ToyWorldPlanning.Settings.builder().horizon(2).samples(8).topK(2)
                    .iterations(1).execute(1).maxActions(2).actionCost(0).holdCheck(true).errorEpisodes(2)
                    .returnBest(false).build();
            return new Recipe(24, 8, 3, 1, 3, 16, 96, 1, false, 7, 6, tiny, TwoRoomSpec.aroundWall(), 0.998);
        }

        /**
         * The predictor's training settings ({@code world train --set} keys): 4 heads, lr 1e-3,
         * no states, the encoder's features cached once per run (each frame encoded once, not once per step).
         *
         * @return {@code section.key=value} overrides of the world-train defaults
         */
        List<String> worldSettings() {
            return List.of("model.predictor_embed_dim=" + predictorWidth,
                    "model.depth=" + predictorDepth, "model.num_heads=4",
                    "model.residual=" + residual, "optimization.epochs=" + worldEpochs,
                    "optimization.ipe=" + worldIpe, "data.batch_size=" + worldBatch, "data.clip_frames=" + clipFrames,
                    "data.use_states=false", "optimization.lr=1e-3", "optimization.start_lr=2e-4",
                    "loss.auto_steps=" + autoSteps, "meta.feature_cache=run", "meta.device=cpu",
                    "logging.progress_bar=false");
        }
    }

    @Override
    public Integer call() throws Exception {
        threadsOption.apply(spec.commandLine());
        if (episodes < 2) {
            throw new ParameterException(spec.commandLine(), "--episodes must be >= 2");
        }
        if (Files.isRegularFile(out.resolve("plan").resolve("result.json"))) {
            throw new IOException("output folder " + out + " already holds a finished demo: choose another --out, or "
                    + "plan again with 'jepa4j world plan --run " + out + "'");
        }
        Recipe r = quick ? Recipe.quick() : Recipe.full();
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        TwoRoomSpec world = r.world();

        Path data = out.resolve("data");
        say(o, t0, "collecting %d random-walk episodes and %d videos of the two-room world -> %s", r.trainEpisodes(),
                r.videos(), data);
        double crossing = TwoRoomEpisodes.write(data, new TwoRoomEpisodes.Spec(world, r.trainEpisodes(), 12, 0));
        TwoRoomVideos.write(data.resolve("videos"), new TwoRoomEpisodes.Spec(world, r.videos(), 32, 1));

        Path encoder = out.resolve("encoder");
        say(o, t0, "pretraining a V-JEPA 2 encoder (width 96, depth 3, 64 px, patch 16), %d steps -> %s",
                r.pretrainSteps(), encoder);
        TrainConfig cfg = ConfigOption.load("vjepa_tiny", List.of("model.variant=vjepa2", "data.patch_size=16",
                "data_aug.horizontal_flip=false", "data_aug.random_resize_scale=[0.8,1.0]", "data.num_workers=1",
                "optimization.ipe=" + r.pretrainSteps(), "optimization.epochs=1", "optimization.warmup=0.1",
                "optimization.ema=[" + r.emaStart() + ",1.0]",
                "meta.device=cpu", "logging.progress_bar=false"));
        TrainingSummary pre = Trainer.builder().setConfig(cfg).setRunDirectory(encoder)
                .setSource(VideoSource.fromFolder(data.resolve("videos"))).build().fit();

        // The two predictors (on the trained encoder's features, and the baseline's on an untrained encoder's) train at
        // the same time, one in a child JVM (one gradient collector per JVM), each on one PyTorch thread: these tiny
        // models are no faster on two threads, so two at once take the time of one.
        WorldTrainConfig wcfg = WorldTrainConfig.defaultConfig().withOverrides(r.worldSettings());
        Path worldRun = out.resolve(WorldRuns.WORLD);
        Path untrainedRun = out.resolve(WorldRuns.WORLD_UNTRAINED);
        Path worldLog = out.resolve(WORLD_TRAIN_LOG);
        say(o, t0, "training the action-conditioned predictor on the frozen encoder's features -> %s (a child JVM, "
                + "log %s), and beside it the same predictor on an untrained encoder's features (baseline) -> %s",
                worldRun, worldLog, untrainedRun);
        ThreadsOption.setForThisAndNewThreads(1);
        VitConfig geometry;
        try (FrozenEncoder e = FrozenEncoder.load(EncoderLoader.of(encoder))) {
            geometry = e.config();
        }
        long untrainedSeed = 7;
        double worldFinalLoss;
        try (WorldTrainProcess child = WorldTrainProcess.start(data, encoder, worldRun, r.worldSettings(), worldLog);
                FrameEncoder random = FrameEncoder.untrained(geometry, untrainedSeed, null)) {
            WorldModelTrainer.builder().setData(data).setFrameEncoder(random).setRunDirectory(untrainedRun)
                    .optConfig(wcfg).build().fit();
            say(o, t0, "baseline predictor trained; waiting for the predictor on the trained encoder");
            worldFinalLoss = child.awaitFinalLoss();
        }
        JsonObject u = new JsonObject();
        u.addProperty("seed", untrainedSeed);
        u.addProperty("geometry_from", encoder.toAbsolutePath().toString());
        AtomicFiles.writeString(untrainedRun.resolve(WorldRuns.UNTRAINED_FILE), u + "\n");

        Path planDir = out.resolve("plan");
        say(o, t0, "planning on %d episodes (seed %d) with CEM + MPC, and the baselines -> %s", episodes, seed,
                planDir);
        JsonObject j = ToyWorldPlanning.evaluate(List.of(worldRun), List.of(untrainedRun), episodes, seed,
                r.planner(), planDir, line -> say(o, t0, "%s", line), 0);
        j.addProperty("crossing_fraction_of_training_episodes", Math.round(crossing * 1000) / 1000.0);
        j.addProperty("pretrain_final_loss", pre.finalLoss());
        j.addProperty("world_model_final_loss", worldFinalLoss);
        j.addProperty("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        String text = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create()
                .toJson(j);
        AtomicFiles.writeString(planDir.resolve("result.json"), text + "\n");
        say(o, t0, "done: %s (pictures in %s; plan again: jepa4j world plan --run %s --seed 2)", planDir, planDir, out);
        o.println(text);
        o.flush();
        return 0;
    }

    private static void say(PrintWriter o, long t0, String format, Object... args) {
        o.printf(Locale.ROOT, "[%5.1fs] jepa4j world demo: %s%n", (System.nanoTime() - t0) / 1e9,
                String.format(Locale.ROOT, format, args));
        o.flush();
    }
}
