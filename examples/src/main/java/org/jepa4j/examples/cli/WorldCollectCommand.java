package org.jepa4j.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jepa4j.video.synthetic.TwoRoomEpisodes;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomVideos;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j world collect}: random-walk episodes of the two-room toy world ({@link TwoRoomEpisodes}) in the
 * episode format that {@code world train} reads.
 */
@Command(
        name = "collect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Collect random-walk episodes of the two-room toy world (an agent disc, a wall with a door at a "
                    + "per-episode height, 2-D actions of bounded norm) for world-model training.",
            "",
            "Writes OUT/ep_NNNNNN/{frames/*.png, actions.csv, states.csv, episode.json} and OUT/episodes.txt; "
                    + "prints one JSON line with the count and the fraction of episodes that cross the door."
        },
        footer = {"", "Examples:", "  jepa4j world collect --out data/two_room --episodes 2000 --seed 0",
            "  jepa4j world collect --out data/two_room --episodes 1000 --videos 200"})
public final class WorldCollectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Destination folder.")
    Path out;

    @Option(names = "--episodes", paramLabel = "N", defaultValue = "2000",
            description = "Episodes to collect (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--frames", paramLabel = "T", defaultValue = "12",
            description = "Frames per episode (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the collection (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--videos", paramLabel = "N", defaultValue = "0",
            description = "Also write N random-walk videos of 32 frames to OUT/videos/ (MP4), for pretraining an "
                    + "encoder on the world's videos (default: ${DEFAULT-VALUE}).")
    int videos;

    @Option(names = "--glow", paramLabel = "PX", defaultValue = "12",
            description = "Length scale of the agent's green glow in pixels, 0 for none (default: ${DEFAULT-VALUE}).")
    double glow;

    @Option(names = "--wide-glow", paramLabel = "PX", defaultValue = "0",
            description = "Length scale of a second, wide glow in the blue channel in pixels, 0 for none (default: "
                    + "${DEFAULT-VALUE}; 48 with --glow-around-wall is TwoRoomSpec.aroundWall()).")
    double wideGlow;

    @Option(names = "--glow-around-wall", defaultValue = "false",
            description = "Measure the glows' distance along the shortest path around the wall, through the door, "
                    + "instead of in a straight line through the wall.")
    boolean glowAroundWall;

    @Option(names = "--wall-slides", defaultValue = "false",
            description = "A quarter of the episodes start against the wall and slide along it toward the door.")
    boolean wallSlides;

    @Override
    public Integer call() throws Exception {
        if (episodes < 1 || frames < 2 || videos < 0) {
            throw new ParameterException(spec.commandLine(), "--episodes must be >= 1, --frames >= 2, --videos >= 0");
        }
        if (!(glow >= 0 && wideGlow >= 0)) {
            throw new ParameterException(spec.commandLine(), "--glow and --wide-glow must be >= 0, got " + glow
                    + " and " + wideGlow);
        }
        TwoRoomSpec world = TwoRoomSpec.defaults().withGlow(glow, glowAroundWall, wideGlow);
        double crossing = TwoRoomEpisodes.write(out, new TwoRoomEpisodes.Spec(world, episodes, frames, seed,
                wallSlides));
        if (videos > 0) {
            TwoRoomVideos.write(out.resolve("videos"), new TwoRoomEpisodes.Spec(world, videos, 32, seed + 1));
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "{\"out\": \"%s\", \"episodes\": %d, \"frames\": %d, \"crossing_fraction\": %.4f}%n",
                out.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""), episodes, frames,
                crossing);
        o.flush();
        return 0;
    }
}
