package org.jepa4j.video.synthetic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jepa4j.video.decode.FFmpegLogLevel;

/**
 * Writes random-walk episodes of the two-room world ({@link TwoRoomEpisodes#simulate}) as plain MP4 videos, the
 * input of video pretraining (an encoder pretrained on the world's own videos before a world model is trained on
 * its features).
 */
public final class TwoRoomVideos {

    private TwoRoomVideos() {}

    /**
     * Writes {@code spec.episodes()} videos of {@code spec.frames()} frames to {@code folder}.
     *
     * @param folder destination (created)
     * @param spec what to simulate
     * @return the written files
     * @throws IOException if a file cannot be written
     */
    public static List<Path> write(Path folder, TwoRoomEpisodes.Spec spec) throws IOException {
        Files.createDirectories(folder);
        List<Path> files = new ArrayList<>();
        int size = spec.world().size();
        FFmpegLogLevel.applyOnce();
        for (int i = 0; i < spec.episodes(); i++) {
            TwoRoomEpisodes.Episode e = TwoRoomEpisodes.simulate(spec, i);
            TwoRoomWorld world = new TwoRoomWorld(spec.world(), e.doorY());
            Path file = folder.resolve(String.format(Locale.ROOT, "two_room_%05d.mp4", i));
            double[][] states = e.states();
            SyntheticVideos.writeVideo(file, size, 10, states.length,
                    (t, rows, stride) -> SyntheticVideos.copyRows(world.render(states[t]), size, rows, stride),
                    "cannot write video ");
            files.add(file);
        }
        return files;
    }
}
