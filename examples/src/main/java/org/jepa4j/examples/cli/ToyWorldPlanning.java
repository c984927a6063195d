package org.jepa4j.examples.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Locale;
import java.util.function.IntConsumer;
import org.jepa4j.core.io.AtomicFiles;
import org.jepa4j.train.plan.CemConfig;
import org.jepa4j.train.plan.CemPlanner;
import org.jepa4j.train.plan.EnergyMode;
import org.jepa4j.train.plan.LatentDynamics;
import org.jepa4j.train.plan.ObservationEncoder;
import org.jepa4j.train.plan.OpenLoopError;
import org.jepa4j.train.plan.PathPictures;
import org.jepa4j.train.plan.RolloutTracking;
import org.jepa4j.train.plan.StallEscape;
import org.jepa4j.train.plan.TwoRoomEvaluation;
import org.jepa4j.train.plan.TwoRoomGoalTolerance;
import org.jepa4j.train.plan.TwoRoomPolicy;
import org.jepa4j.train.world.WorldModel;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;

/**
 * The toy-world planning evaluation shared by {@code world plan} and {@code world demo}: loads a world-model run
 * (and, when present, the same recipe trained on an untrained encoder's features), plans on episodes drawn from a
 * seed, runs the random and greedy baselines on the same episodes and builds the one JSON object both commands
 * print.
 */
final class ToyWorldPlanning {

    /** Tasks (x 8 directions) of the rollout-tracking measurement, at most the open-loop error's episodes. */
    static final int TRACKING_TASKS = 4;
    /** Actions ahead of the open-loop error and rollout tracking (in model steps: this over the frame step). */
    static final int ERROR_ACTIONS = 6;
    /** Spacing of the reference positions of the rollout-tracking measurement. */
    static final double TRACKING_GRID_PX = 3;

    private ToyWorldPlanning() {}

    /**
     * Planner settings of the toy world; noiseBeta .. returnBest are iCEM's options
     * ({@link CemConfig.Builder#optNoiseBeta}, {@link CemConfig.Builder#optKeepElites},
     * {@link CemConfig.Builder#optSampleDecay}, {@link CemConfig.Builder#optReturnBest}), goalTolerance
     * {@link CemConfig.Builder#optGoalTolerance}; with goalRadius &gt; 0 the tolerance is instead measured for each
     * model's encoder as the energy of the agent goalRadius pixels off the goal ({@link TwoRoomGoalTolerance});
     * escapeWeight &gt; 0 turns on the {@link StallEscape} with that weight in units of the goal tolerance, above the
     * energy of frames escapeRadius pixels off the goal (measured like the tolerance).
     */
    record Settings(int horizon, int samples, int topK, int iterations, int execute, int maxActions,
            EnergyMode energy, boolean warmStart, double actionCost, boolean holdCheck, long plannerSeed,
            int errorEpisodes, double noiseBeta, double keepElites, double sampleDecay, boolean returnBest,
            double goalTolerance, double goalRadius, double escapeWeight, double escapeRadius) {

        /** Goals the tolerance is calibrated on. */
        static final int CALIBRATION_GOALS = 50;

        /**
         * A builder at the defaults of {@code world plan} (which {@code world demo} plans with).
         *
         * @return a builder at the defaults of {@code world plan}
         */
        static Builder builder() {
            return new Builder();
        }

        /** Settings by name; every value starts at {@code world plan}'s default. */
        static final class Builder {
            private int horizon = 6;
            private int samples = 64;
            private int topK = 8;
            private int iterations = 4;
            private int execute = 2;
            private int maxActions = 24;
            private EnergyMode energy = EnergyMode.ALL_FRAMES;
            private boolean warmStart = true;
            private double actionCost = 0.01;
            private boolean holdCheck = false;
            private long plannerSeed = 0;
            private int errorEpisodes = 32;
            private double noiseBeta = 0;
            private double keepElites = 0;
            private double sampleDecay = 1;
            private boolean returnBest = true;
            private double goalTolerance = 0;
            private double goalRadius = 3;
            private double escapeWeight = 8;
            private double escapeRadius = 8;

            private Builder() {}

            Builder horizon(int v) {
                horizon = v;
                return this;
            }

            Builder samples(int v) {
                samples = v;
                return this;
            }

            Builder topK(int v) {
                topK = v;
                return this;
            }

            Builder iterations(int v) {
                iterations = v;
                return this;
            }

            Builder execute(int v) {
                execute = v;
                return this;
            }

            Builder maxActions(int v) {
                maxActions = v;
                return this;
            }

            Builder energy(EnergyMode v) {
                energy = v;
                return this;
            }

            Builder warmStart(boolean v) {
                warmStart = v;
                return this;
            }

            Builder actionCost(double v) {
                actionCost = v;
                return this;
            }

            Builder holdCheck(boolean v) {
                holdCheck = v;
                return this;
            }

            Builder errorEpisodes(int v) {
                errorEpisodes = v;
                return this;
            }

            Builder noiseBeta(double v) {
                noiseBeta = v;
                return this;
            }

            Builder keepElites(double v) {
                keepElites = v;
                return this;
            }

            Builder sampleDecay(double v) {
                sampleDecay = v;
                return this;
            }

            Builder returnBest(boolean v) {
                returnBest = v;
                return this;
            }

            /** A fixed goal tolerance instead of one measured at {@link #goalRadius} (which this sets to 0). */
            Builder goalTolerance(double v) {
                goalTolerance = v;
                goalRadius = 0;
                return this;
            }

            Builder goalRadius(double v) {
                goalRadius = v;
                return this;
            }

            Builder escape(double weight, double radius) {
                escapeWeight = weight;
                escapeRadius = radius;
                return this;
            }

            Settings build() {
                return new Settings(horizon, samples, topK, iterations, execute, maxActions, energy, warmStart,
                        actionCost, holdCheck, plannerSeed, errorEpisodes, noiseBeta, keepElites, sampleDecay,
                        returnBest, goalTolerance, goalRadius, escapeWeight, escapeRadius);
            }
        }

        /**
         * The goal tolerance for one model: goalTolerance, or measured on its encoder when goalRadius &gt; 0 (on
         * calibration goals of a seed no evaluation uses).
         */
        double tolerance(WorldModel wm, TwoRoomSpec spec, long seed, NDManager manager) {
            if (!(goalRadius > 0)) {
                return goalTolerance;
            }
            return TwoRoomGoalTolerance.calibrate(WorldRuns.observations(wm), spec, goalRadius, CALIBRATION_GOALS,
                    seed + 2_000_000L, manager);
        }

        /**
         * The stall escape for one model, or null when escapeWeight is 0: its unit is the model's goal tolerance,
         * its far energy that of frames escapeRadius pixels off the goal, measured on the model's encoder.
         */
        StallEscape escape(WorldModel wm, TwoRoomSpec spec, double tolerance, long seed, NDManager manager) {
            if (!(escapeWeight > 0)) {
                return null;
            }
            if (!(tolerance > 0) || !(escapeRadius > 0)) {
                throw new IllegalArgumentException("the stall escape needs a goal tolerance > 0 (its energy unit) "
                        + "and an escape radius > 0 px, got " + tolerance + " and " + escapeRadius + " px");
            }
            double far = TwoRoomGoalTolerance.calibrate(WorldRuns.observations(wm), spec, escapeRadius,
                    CALIBRATION_GOALS, seed + 2_000_000L, manager);
            return StallEscape.inUnits(escapeWeight, tolerance, far);
        }

        CemConfig cem(TwoRoomSpec spec, double tolerance, int frameStep) {
            double bound = frameStep * spec.maxActionReach() / spec.size(); // a model action spans frameStep actions
            return CemConfig.builder(2, bound).optHorizon(horizon).optSamples(samples).optTopK(topK)
                    .optIterations(iterations).optEnergyMode(energy).optActionCost(actionCost).optHoldCheck(holdCheck)
                    .optNoiseBeta(noiseBeta).optKeepElites(keepElites).optSampleDecay(sampleDecay)
                    .optReturnBest(returnBest).optGoalTolerance(tolerance).optSeed(plannerSeed).build();
        }
    }

    /**
     * Runs the evaluation.
     *
     * @param runs world-model runs on one encoder (more than one: an ensemble)
     * @param untrained untrained-encoder world-model runs (more than one: an ensemble), or empty
     * @param episodes number of planning episodes
     * @param seed seed of the episodes
     * @param settings planner settings
     * @param out folder for pictures and result.json, or null
     * @param progress called with a one-line status (may be null)
     * @param perfectTasks how many of the tasks (the first ones) to plan again with a perfect world model of the
     *     same encoder ({@link TwoRoomPolicy#perfectModel}), 0 for none
     * @return the JSON object
     */
    static JsonObject evaluate(List<Path> runs, List<Path> untrained, int episodes, long seed, Settings settings,
            Path out, java.util.function.Consumer<String> progress, int perfectTasks) throws IOException {
        TwoRoomSpec spec = WorldRuns.world(runs.get(0), progress);
        List<PlanningTask> tasks = PlanningTask.sample(spec, episodes, seed);
        // The untrained-encoder baseline plans on its own thread beside the model (each evaluation is seeded on
        // its own, so the results do not depend on the interleaving); on two cores this halves the demo's
        // planning time.
        ExecutorService baseline = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "untrained-encoder-planning");
            t.setDaemon(true);
            return t;
        });
        double[] untrainedTolerance = {Double.NaN};
        try {
            Future<TwoRoomEvaluation.Report> untrainedFuture = null;
            TwoRoomEvaluation.Report plan;
            OpenLoopError prediction;
            RolloutTracking tracking;
            double tolerance;
            StallEscape escape;
            int frameStep;
            TwoRoomEvaluation.Report perfect = null;
            // the model is loaded (its ensemble's encoders checked) before the baseline starts beside it
            try (WorldRuns.Loaded l = WorldRuns.load(runs); NDManager m = NDManager.newBaseManager()) {
                if (!untrained.isEmpty()) {
                    untrainedFuture = baseline.submit(() -> planUntrained(untrained, tasks, spec, seed, settings,
                            untrainedTolerance, progress));
                }
                WorldModel wm = l.wm();
                LatentDynamics dynamics = l.dynamics();
                ObservationEncoder obs = WorldRuns.observations(wm);
                tolerance = settings.tolerance(wm, spec, seed, m);
                frameStep = wm.config().frameStep();
                CemPlanner planner = new CemPlanner(dynamics, settings.cem(spec, tolerance, frameStep));
                escape = settings.escape(wm, spec, tolerance, seed, m);
                plan = TwoRoomEvaluation.run(spec, tasks, TwoRoomPolicy.planner("plan", planner, settings.execute(),
                        settings.warmStart(), frameStep, escape, m), obs, settings.maxActions(),
                        status(progress, "plan", episodes));
                int ahead = Math.max(1, ERROR_ACTIONS / frameStep); // model steps covering the same actions
                prediction = OpenLoopError.measure(dynamics, obs, spec, m, settings.errorEpisodes(), ahead, frameStep,
                        seed + 1_000_000L);
                int trackingTasks = Math.min(TRACKING_TASKS, settings.errorEpisodes());
                tracking = trackingTasks < 1 ? null : RolloutTracking.measure(dynamics, obs, spec, m, trackingTasks,
                        ahead, frameStep, TRACKING_GRID_PX, seed + 3_000_000L);
                if (perfectTasks > 0) {
                    List<PlanningTask> some = tasks.subList(0, Math.min(perfectTasks, tasks.size()));
                    perfect = TwoRoomEvaluation.run(spec, some, TwoRoomPolicy.perfectModel(settings.cem(spec,
                            tolerance, 1), settings.execute(), settings.warmStart(), escape, obs, m), obs,
                            settings.maxActions(), status(progress, "perfect model", some.size()));
                }
            }
            TwoRoomEvaluation.Report untrainedReport = untrainedFuture == null ? null : await(untrainedFuture);
            JsonObject j = summary(runs.get(0), episodes, seed, settings, out, spec, tasks, plan, prediction,
                    untrainedReport);
            j.addProperty("ensemble", runs.size());
            j.addProperty("frame_step", frameStep);
            j.add("perfect_model", perfect == null ? com.google.gson.JsonNull.INSTANCE : perfect(perfect, plan));
            JsonObject goalTolerance = new JsonObject();
            goalTolerance.addProperty("radius_px", settings.goalRadius());
            goalTolerance.addProperty("model", Math.round(tolerance * 1e5) / 1e5);
            if (untrainedReport != null) {
                goalTolerance.addProperty("untrained_encoder", Math.round(untrainedTolerance[0] * 1e5) / 1e5);
            }
            j.add("goal_tolerance", goalTolerance);
            JsonObject esc = new JsonObject();
            esc.addProperty("weight", settings.escapeWeight());
            if (escape != null) {
                esc.addProperty("radius_px", settings.escapeRadius());
                esc.addProperty("far_energy", Math.round(escape.farEnergy() * 1e5) / 1e5);
                esc.addProperty("replans_escaping", round(plan.escapeRate()));
            }
            j.add("escape", esc);
            j.add("rollout_tracking", tracking == null ? com.google.gson.JsonNull.INSTANCE : tracking.toJson());
            return j;
        } finally {
            baseline.shutdownNow();
        }
    }

    /** Plans the tasks with the untrained-encoder model(s); its goal tolerance goes to {@code tolerance[0]}. */
    private static TwoRoomEvaluation.Report planUntrained(List<Path> untrained, List<PlanningTask> tasks,
            TwoRoomSpec spec, long seed, Settings settings, double[] tolerance,
            java.util.function.Consumer<String> progress) throws IOException {
        try (WorldRuns.Loaded l = WorldRuns.load(untrained); NDManager m = NDManager.newBaseManager()) {
            WorldModel wm = l.wm();
            tolerance[0] = settings.tolerance(wm, spec, seed, m);
            int k = wm.config().frameStep();
            CemPlanner planner = new CemPlanner(l.dynamics(), settings.cem(spec, tolerance[0], k));
            StallEscape escape = settings.escape(wm, spec, tolerance[0], seed, m);
            return TwoRoomEvaluation.run(spec, tasks, TwoRoomPolicy.planner("untrained_encoder", planner,
                    settings.execute(), settings.warmStart(), k, escape, m), WorldRuns.observations(wm),
                    settings.maxActions(), status(progress, "untrained encoder", tasks.size()));
        }
    }

    /** The baseline's report, its failure rethrown as it was. */
    private static TwoRoomEvaluation.Report await(Future<TwoRoomEvaluation.Report> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the untrained-encoder baseline planned", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException("untrained-encoder baseline failed: " + c, c);
        }
    }

    /** Adds the random and greedy baselines and writes the JSON (and pictures). */
    private static JsonObject summary(Path run, int episodes, long seed, Settings settings, Path out, TwoRoomSpec spec,
            List<PlanningTask> tasks, TwoRoomEvaluation.Report plan, OpenLoopError prediction,
            TwoRoomEvaluation.Report untrainedReport) throws IOException {
        TwoRoomEvaluation.Report random = TwoRoomEvaluation.run(spec, tasks, TwoRoomPolicy.random(seed), null,
                settings.maxActions(), null);
        TwoRoomEvaluation.Report greedy = TwoRoomEvaluation.run(spec, tasks, TwoRoomPolicy.greedy(), null,
                settings.maxActions(), null);

        JsonObject j = new JsonObject();
        j.addProperty("episodes", episodes);
        j.addProperty("success_rate", round(plan.successRate()));
        j.add("same_room", kind(plan, false));
        j.add("cross_room", kind(plan, true));
        JsonObject baselines = new JsonObject();
        baselines.add("random", rates(random));
        baselines.add("greedy", rates(greedy));
        if (untrainedReport != null) {
            baselines.add("untrained_encoder", rates(untrainedReport));
        } else {
            baselines.add("untrained_encoder", com.google.gson.JsonNull.INSTANCE);
        }
        j.add("baselines", baselines);
        j.addProperty("passed_goal_rate", round(plan.passedGoalRate()));
        j.addProperty("ms_per_replan", Math.round(plan.millisPerReplan() * 10) / 10.0);
        j.addProperty("ms_per_episode", Math.round(plan.millisPerEpisode()));
        JsonObject fd = new JsonObject();
        fd.addProperty("mean", round(plan.meanFinalDistance()));
        j.add("final_distance", fd);
        j.add("prediction_error", prediction.toJson());
        j.addProperty("seed", seed);
        JsonObject world = new JsonObject();
        world.addProperty("glow", spec.glow());
        world.addProperty("glow_around_wall", spec.glowAroundWall());
        world.addProperty("wide_glow", spec.wideGlow());
        j.add("world", world);
        j.addProperty("run", run.toAbsolutePath().toString());
        if (out != null) {
            Files.createDirectories(out);
            PathPictures.write(out.resolve("paths.png"), spec, plan, 100);
            PathPictures.write(out.resolve("paths_greedy.png"), spec, greedy, 100);
            writeEpisodes(out.resolve("episodes.csv"), plan, greedy);
            j.addProperty("pictures", out.toAbsolutePath().toString());
        }
        return j;
    }

    /**
     * One line per task: where it started and ended, whether the planner reached the goal (at the end) or passed it
     * (at some point), the replans it searched, and greedy control's result on the same task.
     */
    private static void writeEpisodes(Path file, TwoRoomEvaluation.Report plan, TwoRoomEvaluation.Report greedy)
            throws IOException {
        StringBuilder b = new StringBuilder("task,cross_room,door_y,start_x,start_y,goal_x,goal_y,reached,passed_goal,"
                + "final_distance,end_x,end_y,replans,greedy_reached\n");
        for (int i = 0; i < plan.episodes().size(); i++) {
            TwoRoomEvaluation.EpisodeResult e = plan.episodes().get(i);
            PlanningTask t = e.task();
            double[] end = e.path().get(e.path().size() - 1);
            b.append(String.format(Locale.ROOT, "%d,%b,%.1f,%.1f,%.1f,%.1f,%.1f,%b,%b,%.2f,%.1f,%.1f,%d,%b%n", i,
                    t.crossRoom(), t.doorY(), t.start()[0], t.start()[1], t.goal()[0], t.goal()[1], e.reached(),
                    e.passedGoal(), e.finalDistance(), end[0], end[1], e.outcome().replans(),
                    greedy.episodes().get(i).reached()));
        }
        AtomicFiles.writeString(file, b.toString());
    }

    private static IntConsumer status(java.util.function.Consumer<String> progress, String what, int n) {
        if (progress == null) {
            return null;
        }
        return i -> {
            if (n <= 20 || (i + 1) % 10 == 0 || i + 1 == n) {
                progress.accept(String.format(Locale.ROOT, "%s: %d/%d episodes", what, i + 1, n));
            }
        };
    }

    /**
     * The perfect model's rates and, on the same tasks, the world model's: {@code {"tasks", "success_rate",
     * "same_room", "cross_room", "model_success_rate"}}.
     */
    private static JsonObject perfect(TwoRoomEvaluation.Report perfect, TwoRoomEvaluation.Report plan) {
        JsonObject k = rates(perfect);
        int n = perfect.episodes().size();
        k.addProperty("tasks", n);
        long model = plan.episodes().subList(0, n).stream().filter(TwoRoomEvaluation.EpisodeResult::reached).count();
        k.addProperty("model_success_rate", round(model / (double) n));
        return k;
    }

    private static JsonObject kind(TwoRoomEvaluation.Report r, boolean cross) {
        JsonObject k = new JsonObject();
        k.addProperty("episodes", r.count(cross));
        k.addProperty("success_rate", round(cross ? r.crossRoomSuccessRate() : r.sameRoomSuccessRate()));
        return k;
    }

    private static JsonObject rates(TwoRoomEvaluation.Report r) {
        JsonObject k = new JsonObject();
        k.addProperty("success_rate", round(r.successRate()));
        k.addProperty("same_room", round(r.sameRoomSuccessRate()));
        k.addProperty("cross_room", round(r.crossRoomSuccessRate()));
        k.addProperty("passed_goal_rate", round(r.passedGoalRate()));
        return k;
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }

    static JsonArray array(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) {
            a.add(round(x));
        }
        return a;
    }
}
