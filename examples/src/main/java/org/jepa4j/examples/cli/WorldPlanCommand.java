package org.jepa4j.examples.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jepa4j.core.io.AtomicFiles;
import org.jepa4j.train.plan.EnergyMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j world plan}: latent planning (CEM + model-predictive control) with a trained world model in the
 * two-room toy world, against the random, greedy and untrained-encoder baselines; prints one JSON object.
 */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Plan toward goal images in the two-room toy world with a trained world model (CEM in latent space, "
                    + "model-predictive control) and compare with baselines.",
            "",
            "Prints ONE JSON object: episodes, success_rate, same_room and cross_room {episodes, success_rate}, "
                    + "baselines {random, greedy, untrained_encoder}, ms_per_replan, ms_per_episode, "
                    + "final_distance {mean}, prediction_error (open loop vs copy-last per step ahead). RUN is a "
                    + "'world train' run or a 'world demo' directory (then its untrained-encoder model is the "
                    + "untrained_encoder baseline)."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j world plan --run runs/world-demo --episodes 100 --seed 7 --out runs/world-demo/plan7",
            "  jepa4j world plan --run runs/world --untrained-run runs/world-random --episodes 50 --seed 1"
        })
public final class WorldPlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run", paramLabel = "RUN", required = true,
            description = "A 'world train' run directory trained on two-room episodes, or a 'world demo' directory.")
    Path run;

    @Option(names = "--untrained-run", paramLabel = "RUN",
            description = "World model of the same recipe on an untrained encoder (default: RUN/world_untrained of "
                    + "a demo directory; without one the baseline is null).")
    Path untrainedRun;

    @Option(names = "--member", paramLabel = "RUN",
            description = "Another 'world train' run on the same encoder, planned with as one ensemble (energies "
                    + "averaged over the members); repeatable. The untrained-encoder baseline stays one model.")
    List<Path> extraMembers = new ArrayList<>();

    @Option(names = "--perfect-model", paramLabel = "N", defaultValue = "0",
            description = "Also plan the first N tasks with a perfect world model (the true simulator, its frames "
                    + "through the same encoder; slow: one encoder pass per candidate frame): what the planner and "
                    + "the encoder's energy reach when the model makes no error (default: ${DEFAULT-VALUE}).")
    int perfectTasks;

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "100",
            description = "Planning episodes, half same-room, half cross-room (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the episodes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for result.json and contact sheets of the paths (paths.png, paths_greedy.png).")
    Path out;

    @Option(names = "--horizon", paramLabel = "H", defaultValue = "6",
            description = "Imagined steps per plan (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "64",
            description = "CEM candidates per iteration (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "8",
            description = "CEM elites (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "4",
            description = "CEM iterations per plan (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--execute", paramLabel = "K", defaultValue = "2",
            description = "Planned actions executed before replanning (default: ${DEFAULT-VALUE}).")
    int execute;

    @Option(names = "--max-actions", paramLabel = "N", defaultValue = "24",
            description = "Actions per episode: episodes have this fixed length and are scored where the agent "
                    + "is at the end (default: ${DEFAULT-VALUE}).")
    int maxActions;

    @Option(names = "--energy", paramLabel = "MODE", defaultValue = "ALL_FRAMES",
            description = "Frames the goal energy looks at: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    EnergyMode energy;

    @Option(names = "--warm-start", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Start each replan's search from the previous plan shifted by the executed actions "
                    + "(default: ${DEFAULT-VALUE}; --no-warm-start searches from zero every time).")
    boolean warmStart;

    @Option(names = "--action-cost", paramLabel = "W", defaultValue = "0.01",
            description = "Weight of the control effort added to the energy (mean action norm in units of the "
                    + "bound; default: ${DEFAULT-VALUE}).")
    double actionCost;

    @Option(names = "--hold-check", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Compare each plan with holding still and hold when the model predicts that scores at "
                    + "least as well (default: ${DEFAULT-VALUE}).")
    boolean holdCheck;

    @Option(names = "--noise-beta", paramLabel = "B", defaultValue = "0",
            description = "iCEM coloured noise: exponent of the 1/f^B spectrum of the sampling noise along the "
                    + "horizon; 0 = white noise, 2-3 = smooth sequences (default: ${DEFAULT-VALUE}).")
    double noiseBeta;

    @Option(names = "--keep-elites", paramLabel = "F", defaultValue = "0",
            description = "iCEM: fraction of the elites kept into the next iteration and, shifted, into the next "
                    + "replan (default: ${DEFAULT-VALUE}; iCEM uses 0.3).")
    double keepElites;

    @Option(names = "--sample-decay", paramLabel = "G", defaultValue = "1",
            description = "iCEM: iteration i draws max(samples / G^i, 2 top-k) candidates (default: ${DEFAULT-VALUE}, "
                    + "no decay; iCEM uses 1.25).")
    double sampleDecay;

    @Option(names = "--return-best", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "iCEM: execute the best sequence scored in any iteration (the last iteration's mean scored "
                    + "too) instead of the final mean (default: ${DEFAULT-VALUE}; --no-return-best executes the mean).")
    boolean returnBest;

    @Option(names = "--goal-tolerance", paramLabel = "E",
            description = "Hold still without searching while the observed frame's energy to the goal (L1 of "
                    + "layer-normed tokens, no model) is at most E; 0 = never. Without it the tolerance is measured "
                    + "for each model's encoder from --goal-radius.")
    Double goalTolerance;

    @Option(names = "--goal-radius", paramLabel = "PX", defaultValue = "3",
            description = "Without --goal-tolerance: the tolerance is the mean energy of frames with the agent PX "
                    + "pixels off the goal, measured for each model's encoder on 50 calibration goals (default: "
                    + "${DEFAULT-VALUE}, inside the 4 px success radius; 0 = never hold).")
    double goalRadius;

    @Option(names = "--escape", paramLabel = "W", defaultValue = "8",
            description = "Escape local minima of the goal energy: once the observed energy has not fallen for two "
                    + "replans far from the goal, penalise imagined frames near the frames already observed, with "
                    + "weight W in units of the goal tolerance (0 = off; default: ${DEFAULT-VALUE}, the demo's).")
    double escapeWeight;

    @Option(names = "--escape-radius", paramLabel = "PX", defaultValue = "8",
            description = "With --escape: the escape stays off while the observed energy is at most that of frames "
                    + "with the agent PX pixels off the goal, measured for each model's encoder (default: "
                    + "${DEFAULT-VALUE}).")
    double escapeRadius;

    @Option(names = "--error-episodes", paramLabel = "N", defaultValue = "32",
            description = "Fresh episodes for the open-loop prediction error vs copy-last (default: ${DEFAULT-VALUE}).")
    int errorEpisodes;

    @Mixin
    ThreadsOption threadsOption;

    /** The planner settings the options give. */
    ToyWorldPlanning.Settings settings() {
        ToyWorldPlanning.Settings.Builder b = ToyWorldPlanning.Settings.builder().horizon(horizon).samples(samples)
                .topK(topK).iterations(iterations).execute(execute).maxActions(maxActions).energy(energy)
                .warmStart(warmStart).actionCost(actionCost).holdCheck(holdCheck).errorEpisodes(errorEpisodes)
                .noiseBeta(noiseBeta).keepElites(keepElites).sampleDecay(sampleDecay).returnBest(returnBest)
                .goalRadius(goalRadius).escape(escapeWeight, escapeRadius);
        return (goalTolerance == null ? b : b.goalTolerance(goalTolerance)).build();
    }

    @Override
    public Integer call() throws Exception {
        threadsOption.apply(spec.commandLine());
        if (episodes < 1 || horizon < 1 || samples < 1 || topK < 1 || topK > samples || iterations < 1
                || execute < 1 || execute > horizon || maxActions < 1 || errorEpisodes < 1 || !(noiseBeta >= 0)
                || !(keepElites >= 0 && keepElites <= 1) || !(sampleDecay >= 1)
                || (goalTolerance != null && !(goalTolerance >= 0)) || !(goalRadius >= 0) || perfectTasks < 0
                || !(escapeWeight >= 0) || !(escapeRadius > 0)) {
            throw new ParameterException(spec.commandLine(), "need --episodes, --horizon, --samples, --iterations, "
                    + "--max-actions, --error-episodes >= 1, 1 <= --top-k <= --samples, 1 <= --execute <= --horizon, "
                    + "--noise-beta >= 0, --goal-tolerance >= 0, --goal-radius >= 0, 0 <= --keep-elites <= 1 and "
                    + "--sample-decay >= 1, --perfect-model >= 0, --escape >= 0, --escape-radius > 0");
        }
        List<Path> world = new ArrayList<>(List.of(WorldRuns.worldRun(run)));
        for (Path member : extraMembers) {
            world.add(WorldRuns.worldRun(member));
        }
        Path untrained = untrainedRun != null ? untrainedRun : WorldRuns.untrainedRun(run);
        if (untrained != null && !Files.isDirectory(untrained)) {
            throw new NoSuchFileException(untrained.toString(), null, "no such run directory");
        }
        List<Path> untrainedMembers = untrained == null ? List.of() : List.of(untrained);
        ToyWorldPlanning.Settings settings = settings();
        PrintWriter err = spec.commandLine().getErr();
        JsonObject j = ToyWorldPlanning.evaluate(world, untrainedMembers, episodes, seed, settings, out, line -> {
            err.println("jepa4j world plan: " + line);
            err.flush();
        }, perfectTasks);
        String text = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create()
                .toJson(j);
        if (out != null) {
            AtomicFiles.writeString(out.resolve("result.json"), text + "\n");
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println(text);
        o.flush();
        return 0;
    }
}
