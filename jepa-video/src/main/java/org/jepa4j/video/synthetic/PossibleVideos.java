package org.jepa4j.video.synthetic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Training videos for the intuitive-physics benchmark: {@link PhysicsScene}s from the same generator as
 * {@link ViolationPairs}, where nothing impossible ever happens. A third of the scenes have a solid wall, a third an
 * occluder, the rest neither; one or two discs.
 */
public final class PossibleVideos {

    private PossibleVideos() {}

    /**
     * Writes {@code count} possible-only videos, {@code possible_NNNNN.mp4}.
     *
     * @param folder destination (created if needed)
     * @param count number of videos
     * @param frames frames per video
     * @param fps frame rate
     * @param look how the scenes look
     * @param seed seed of the scenes
     * @param progress told (videos written, count) after each video
     * @return the files
     * @throws IOException if a file cannot be written
     */
    public static List<Path> write(Path folder, int count, int frames, int fps, SceneLook look, long seed,
            BiConsumer<Integer, Integer> progress) throws IOException {
        if (count < 1 || frames < 1) {
            throw new IllegalArgumentException("count and frames must be >= 1, got " + count + ", " + frames);
        }
        Files.createDirectories(folder);
        Random rng = new Random(seed);
        List<Path> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Random r = new Random(rng.nextLong());
            double u = r.nextDouble();
            PhysicsScene scene = new PhysicsScene(look, fps, 1 + r.nextInt(2), u < 1 / 3.0, u >= 1 / 3.0 && u < 2 / 3.0,
                    r);
            List<byte[]> out = new ArrayList<>(frames);
            for (int t = 0; t < frames; t++) {
                byte[] rgb = new byte[look.size() * look.size() * 3];
                scene.render(rgb);
                out.add(rgb);
                scene.step();
            }
            Path file = folder.resolve(String.format("possible_%05d.mp4", i));
            SyntheticVideos.writeFrames(file, out, look.size(), fps);
            files.add(file);
            progress.accept(i + 1, count);
        }
        return files;
    }
}
