package org.jepa4j.examples.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.FrozenEncoder;
import org.jepa4j.train.plan.AcPredictorDynamics;
import org.jepa4j.train.plan.EnsembleDynamics;
import org.jepa4j.train.plan.LatentDynamics;
import org.jepa4j.train.plan.ObservationEncoder;
import org.jepa4j.train.run.RunDirectory;
import org.jepa4j.train.world.FrameEncoder;
import org.jepa4j.train.world.WorldModel;
import org.jepa4j.train.world.WorldTrainConfig;
import org.jepa4j.video.synthetic.TwoRoomEpisodes;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.transform.Normalization;

/**
 * The world-model runs {@code world plan} and {@code world demo} plan with: a {@code world train} run or a demo
 * directory, the ensemble members given with it, the untrained-encoder baseline (its random encoder recreated from a
 * seed), loaded so that the members share one encoder, and that encoder as the planner's observation encoder.
 */
final class WorldRuns {

    /** Sub-folder of a demo directory holding the world model on the pretrained encoder. */
    static final String WORLD = "world";
    /** Sub-folder of a demo directory holding the world model on an untrained encoder. */
    static final String WORLD_UNTRAINED = "world_untrained";
    /** File of an untrained-encoder world-model run naming the encoder's seed and the run giving its geometry. */
    static final String UNTRAINED_FILE = "untrained_encoder.json";

    private WorldRuns() {}

    /** The world-model run of a directory: itself, or its {@value #WORLD} sub-folder (a demo directory). */
    static Path worldRun(Path run) throws NoSuchFileException {
        if (!Files.isDirectory(run)) {
            throw new NoSuchFileException(run.toString(), null, "no such run directory");
        }
        if (Files.isDirectory(run.resolve(WORLD))) {
            return run.resolve(WORLD);
        }
        if (!Files.isRegularFile(run.resolve("config.yaml"))) {
            throw new NoSuchFileException(run.toString(), null, "not a 'world train' run (no config.yaml) nor a "
                    + "'world demo' directory (no " + WORLD + "/)");
        }
        return run;
    }

    /**
     * The two-room world a run's episodes were rendered in, read from the first episode's {@code episode.json} in
     * the run's {@code meta.data} folder ({@link TwoRoomEpisodes#world}). Planning renders its frames in this world,
     * so a model is never asked to plan in frames it was not trained on. When the data folder is gone, or is not a
     * two-room collection, the default world is used and {@code warn} is told.
     *
     * @param worldRun a world-model run directory
     * @param warn receives a one-line warning when the default world is used (may be null)
     * @return the world's settings
     * @throws IOException if the run's configuration or the episode's file cannot be read
     */
    static TwoRoomSpec world(Path worldRun, Consumer<String> warn) throws IOException {
        String data = WorldTrainConfig.read(worldRun.resolve("config.yaml")).data();
        Path first = data == null || data.isEmpty() ? null
                : Path.of(data).resolve(TwoRoomEpisodes.episodeName(0)).resolve("episode.json");
        String missing = first == null ? "run " + worldRun + " records no data folder"
                : !Files.isRegularFile(first) ? "no " + first : null;
        Map<String, String> fields = new HashMap<>();
        if (missing == null) {
            try {
                JsonParser.parseString(Files.readString(first)).getAsJsonObject().entrySet()
                        .forEach(f -> fields.put(f.getKey(), f.getValue().isJsonPrimitive()
                                ? f.getValue().getAsString() : f.getValue().toString()));
            } catch (RuntimeException e) {
                throw new IOException(first + ": not a JSON object: " + e.getMessage(), e);
            }
            if (!"two_room".equals(fields.get("world"))) {
                missing = first + " is not a two-room episode";
            }
        }
        if (missing != null) {
            if (warn != null) {
                warn.accept("warning: " + missing + "; planning in the default two-room world");
            }
            return TwoRoomSpec.defaults();
        }
        try {
            return TwoRoomEpisodes.world(fields);
        } catch (IllegalArgumentException e) {
            throw new IOException(first + ": missing or bad two-room key: " + e.getMessage(), e);
        }
    }

    /** The untrained-encoder run next to a demo's world model, or null. */
    static Path untrainedRun(Path run) {
        Path u = run.resolve(WORLD_UNTRAINED);
        return Files.isRegularFile(u.resolve(UNTRAINED_FILE)) ? u : null;
    }

    /**
     * Loaded world models sharing one encoder: the first owns it (or {@code extra} does), the others are
     * predictors of the same encoder's features (closed together).
     */
    record Loaded(List<WorldModel> models, FrameEncoder extra) implements AutoCloseable {

        /** @return the first model (its encoder is every member's) */
        WorldModel wm() {
            return models.get(0);
        }

        /** @return the planner's dynamics: the predictor, or the ensemble of all members' predictors */
        LatentDynamics dynamics() {
            if (models.size() == 1) {
                return WorldRuns.dynamics(models.get(0));
            }
            List<LatentDynamics> each = new ArrayList<>();
            for (WorldModel m : models) {
                each.add(WorldRuns.dynamics(m));
            }
            return new EnsembleDynamics(each);
        }

        @Override
        public void close() {
            for (int i = models.size() - 1; i >= 0; i--) {
                models.get(i).close();
            }
            if (extra != null) {
                extra.close();
            }
        }
    }

    /**
     * Loads world models trained on the same encoder as one ensemble: the first run's encoder, every run's
     * predictor.
     *
     * @throws IllegalArgumentException if the runs were trained on different encoders (names both)
     */
    static Loaded load(List<Path> runs) throws IOException {
        checkOneEncoder(runs);
        Loaded first = load(runs.get(0));
        List<WorldModel> models = new ArrayList<>(first.models());
        try {
            for (Path r : runs.subList(1, runs.size())) {
                models.add(WorldModel.withEncoder(r, first.wm().encoder()));
            }
            return new Loaded(models, first.extra());
        } catch (IOException | RuntimeException e) {
            new Loaded(models, first.extra()).close();
            throw e;
        }
    }

    /**
     * Checks that runs meant as one ensemble were trained on the same encoder.
     *
     * @throws IllegalArgumentException naming the first run on another encoder, and both encoders
     */
    private static void checkOneEncoder(List<Path> runs) throws IOException {
        String encoder = encoderOf(runs.get(0));
        for (Path r : runs.subList(1, runs.size())) {
            if (!encoderOf(r).equals(encoder)) {
                throw new IllegalArgumentException("ensemble member " + r + " was trained on encoder " + encoderOf(r)
                        + ", but " + runs.get(0) + " on " + encoder + ": an ensemble's predictors must share one "
                        + "encoder");
            }
        }
    }

    /** The encoder a run was trained on: its untrained-encoder file's content, or its configuration's path. */
    private static String encoderOf(Path run) throws IOException {
        Path file = run.resolve(UNTRAINED_FILE);
        if (Files.isRegularFile(file)) {
            return JsonParser.parseString(Files.readString(file)).toString();
        }
        return WorldTrainConfig.read(run.resolve(RunDirectory.CONFIG_FILE)).encoder();
    }

    /** Loads a world model; an untrained-encoder run recreates its random encoder from {@value #UNTRAINED_FILE}. */
    static Loaded load(Path run) throws IOException {
        Path file = run.resolve(UNTRAINED_FILE);
        if (!Files.isRegularFile(file)) {
            return new Loaded(List.of(WorldModel.load(run, null)), null);
        }
        JsonObject j = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        long seed = j.get("seed").getAsLong();
        Path geometry = Path.of(j.get("geometry_from").getAsString());
        org.jepa4j.core.model.VitConfig config;
        try (FrozenEncoder e = FrozenEncoder.load(EncoderLoader.of(geometry))) {
            config = e.config();
        }
        FrameEncoder random = FrameEncoder.untrained(config, seed, null);
        try {
            return new Loaded(List.of(WorldModel.withEncoder(run, random)), random);
        } catch (IOException | RuntimeException e) {
            random.close();
            throw e;
        }
    }

    /** The world model's predictor as planner dynamics (zero states when it was trained without). */
    static AcPredictorDynamics dynamics(WorldModel wm) {
        return new AcPredictorDynamics(wm.predictor(), wm.config().useStates());
    }

    /** The world model's frame encoder as an observation encoder of RGB24 toy-world frames. */
    static ObservationEncoder observations(WorldModel wm) {
        int s = wm.frameSize();
        return new ObservationEncoder() {
            @Override
            public NDArray encode(NDManager manager, byte[] rgb, int size) {
                NDArray z = encodeAll(manager, List.of(rgb), size); // [1, N, E]
                return z.reshape(z.getShape().get(1), z.getShape().get(2)); // [N, E]
            }

            @Override
            public NDArray encodeAll(NDManager manager, List<byte[]> frames, int size) {
                if (size != s) {
                    throw new IllegalArgumentException("toy-world frames are " + size + " px but the world model's "
                            + "encoder takes " + s + " px");
                }
                Normalization norm = Normalization.IMAGENET;
                int plane = s * s;
                float[] px = new float[frames.size() * 3 * plane];
                for (int f = 0; f < frames.size(); f++) {
                    byte[] rgb = frames.get(f);
                    for (int i = 0; i < plane; i++) {
                        for (int c = 0; c < 3; c++) {
                            px[(f * 3 + c) * plane + i] = norm.apply(c, rgb[3 * i + c] & 0xff);
                        }
                    }
                }
                NDArray batch = manager.create(px, new Shape(frames.size(), 3, s, s)); // [F, 3, S, S]
                return wm.encodeFrames(batch); // [F, N, E]
            }
        };
    }
}
