package org.jepa4j.video.synthetic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects random-walk episodes of the two-room world in the episode dataset format read by the world-model
 * trainer: one folder per episode with {@code frames/NNNNNN.png}, {@code actions.csv} ({@code dx,dy}, one row per
 * transition), {@code states.csv} ({@code x,y}, one row per frame) and {@code episode.json} (fps, door centre and
 * the world's settings), plus an {@code episodes.txt} index. States and actions are written in units of the arena
 * size (position / size, intended displacement / size), so they are of order 0.1 like a robot's metres, and the
 * next state is the state plus the action unless a wall is in the way.
 *
 * <p>Actions follow a persistent random walk (each action is 0.7 times the previous one plus Gaussian noise,
 * clipped to the largest step), so the agent travels instead of jittering in place; a quarter of the episodes start
 * next to the door so that a useful fraction of them cross it. With {@link Spec#wallSlides()} another quarter start
 * against a face of the wall and push into it while drifting toward the door: the agent slides along the wall and
 * often goes through the door, the manoeuvre a plan from the wall face needs and pure random walks rarely show.
 */
public final class TwoRoomEpisodes {

    private static final Logger LOG = LoggerFactory.getLogger(TwoRoomEpisodes.class);

    private TwoRoomEpisodes() {}

    /**
     * What to collect.
     *
     * @param world the world's settings
     * @param episodes number of episodes (at least 1)
     * @param frames frames per episode (at least 2)
     * @param seed seed of the whole collection
     * @param wallSlides whether a quarter of the episodes slide along the wall toward the door
     */
    public record Spec(TwoRoomSpec world, int episodes, int frames, long seed, boolean wallSlides) {

        /**
         * A collection without wall-sliding episodes.
         *
         * @param world the world's settings
         * @param episodes number of episodes (at least 1)
         * @param frames frames per episode (at least 2)
         * @param seed seed of the whole collection
         */
        public Spec(TwoRoomSpec world, int episodes, int frames, long seed) {
            this(world, episodes, frames, seed, false);
        }

        /** Validates the settings. */
        public Spec {
            if (episodes < 1) {
                throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
            }
            if (frames < 2) {
                throw new IllegalArgumentException("frames must be >= 2, got " + frames);
            }
        }
    }

    /**
     * One collected episode in memory.
     *
     * @param doorY the door's centre
     * @param states {@code [frames][2]} agent positions in pixels
     * @param actions {@code [frames - 1][2]} actions (intended displacements) in pixels
     */
    public record Episode(double doorY, double[][] states, double[][] actions) {

        /**
         * Whether the agent changed room during the episode.
         *
         * @param spec the world's settings
         * @return true if it crossed the door
         */
        public boolean crossesDoor(TwoRoomSpec spec) {
            TwoRoomWorld world = new TwoRoomWorld(spec, doorY);
            int first = world.room(states[0]);
            for (double[] s : states) {
                if (world.room(s) != first) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Simulates episode {@code index} of a collection (independent of the others, so collection can be parallel).
     *
     * @param spec what to collect
     * @param index episode index
     * @return the episode
     */
    public static Episode simulate(Spec spec, int index) {
        Random rng = new Random(spec.seed() * 1_000_003L + index);
        TwoRoomSpec ws = spec.world();
        TwoRoomWorld world = TwoRoomWorld.random(ws, rng);
        double[] pos;
        if (index % 4 == 0) {
            double side = rng.nextBoolean() ? ws.wallX0() - ws.agentRadius() - 1 - 4 * rng.nextDouble()
                    : ws.wallX1() + ws.agentRadius() + 1 + 4 * rng.nextDouble();
            pos = new double[] {side, world.doorY() + (rng.nextDouble() - 0.5) * (ws.doorHeight() - 2 * ws.agentRadius())};
            if (world.blocked(pos[0], pos[1])) {
                pos = world.randomFreePosition(rng);
            }
        } else if (spec.wallSlides() && index % 4 == 1) {
            // against a wall face, at a height outside the door
            double x = rng.nextBoolean() ? ws.wallX0() - ws.agentRadius() - 0.5 : ws.wallX1() + ws.agentRadius() + 0.5;
            pos = new double[] {x, ws.agentRadius() + rng.nextDouble() * (ws.size() - 2 * ws.agentRadius())};
            if (world.blocked(pos[0], pos[1])) {
                pos = world.randomFreePosition(rng);
            }
        } else {
            pos = world.randomFreePosition(rng);
        }
        double[][] states = new double[spec.frames()][];
        double[][] actions = new double[spec.frames() - 1][];
        states[0] = pos;
        double ax = 0;
        double ay = 0;
        if (index % 4 == 0) {
            ax = (pos[0] < ws.wallX0() ? 1 : -1) * ws.maxActionReach() * 0.8;
        } else if (spec.wallSlides() && index % 4 == 1) {
            ax = (pos[0] < ws.wallX0() ? 1 : -1) * ws.maxActionReach() * 0.6;
            ay = (world.doorY() > pos[1] ? 1 : -1) * ws.maxActionReach() * 0.6;
        }
        double max = ws.maxActionReach();
        for (int t = 0; t < spec.frames() - 1; t++) {
            ax = 0.7 * ax + rng.nextGaussian() * max * 0.6;
            ay = 0.7 * ay + rng.nextGaussian() * max * 0.6;
            double n = Math.hypot(ax, ay);
            if (n > max) {
                ax *= max / n;
                ay *= max / n;
            }
            actions[t] = new double[] {ax, ay};
            states[t + 1] = world.step(states[t], actions[t]);
        }
        return new Episode(world.doorY(), states, actions);
    }

    /**
     * Writes a collection to {@code folder} (created if needed), episodes in parallel.
     *
     * @param folder destination
     * @param spec what to collect
     * @return the fraction of episodes that cross the door
     * @throws IOException if a file cannot be written
     */
    public static double write(Path folder, Spec spec) throws IOException {
        Files.createDirectories(folder);
        int[] crossing = new int[1];
        try {
            IntStream.range(0, spec.episodes()).parallel().forEach(i -> {
                Episode e = simulate(spec, i);
                try {
                    writeEpisode(folder.resolve(episodeName(i)), spec.world(), e);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                if (e.crossesDoor(spec.world())) {
                    synchronized (crossing) {
                        crossing[0]++;
                    }
                }
            });
        } catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
        List<String> index = new ArrayList<>();
        index.add("# two-room world: " + spec.episodes() + " episodes of " + spec.frames() + " frames, seed "
                + spec.seed());
        for (int i = 0; i < spec.episodes(); i++) {
            index.add(episodeName(i));
        }
        Files.write(folder.resolve("episodes.txt"), index, StandardCharsets.UTF_8);
        double fraction = crossing[0] / (double) spec.episodes();
        LOG.info("wrote {} episodes to {} ({} % cross the door)", spec.episodes(), folder,
                String.format(Locale.ROOT, "%.1f", 100 * fraction));
        return fraction;
    }

    /**
     * The world an episode was rendered in, from the fields of the {@code episode.json} {@link #writeEpisode} writes
     * (as strings, the way a JSON reader's primitives print). Episodes written before the glow could go around the
     * wall have no {@code glow_around_wall} and {@code wide_glow} fields: their one glow went through it. The door's
     * range is not recorded (one door per episode) and is the default world's.
     *
     * @param fields the fields of {@code episode.json}
     * @return the world's settings
     * @throws IllegalArgumentException naming a missing or malformed field
     */
    public static TwoRoomSpec world(Map<String, String> fields) {
        TwoRoomSpec d = TwoRoomSpec.defaults();
        return new TwoRoomSpec(Integer.parseInt(field(fields, "size")), number(fields, "wall_x0"),
                number(fields, "wall_x1"), number(fields, "door_height"), d.doorMin(), d.doorMax(),
                number(fields, "agent_radius"), number(fields, "blob_sigma"), number(fields, "max_step"),
                Integer.parseInt(field(fields, "frame_skip")),
                fields.containsKey("glow") ? number(fields, "glow") : 0,
                Boolean.parseBoolean(fields.getOrDefault("glow_around_wall", "false")),
                fields.containsKey("wide_glow") ? number(fields, "wide_glow") : 0);
    }

    private static String field(Map<String, String> fields, String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no field '" + key + "'");
        }
        return v;
    }

    private static double number(Map<String, String> fields, String key) {
        try {
            return Double.parseDouble(field(fields, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + key + "' is not a number: " + fields.get(key), e);
        }
    }

    /**
     * Folder name of episode {@code i}.
     *
     * @param i index
     * @return {@code ep_NNNNNN}
     */
    public static String episodeName(int i) {
        return String.format(Locale.ROOT, "ep_%06d", i);
    }

    /**
     * Writes one episode folder.
     *
     * @param dir the episode's folder (created)
     * @param spec the world's settings
     * @param episode the episode
     * @throws IOException if a file cannot be written
     */
    public static void writeEpisode(Path dir, TwoRoomSpec spec, Episode episode) throws IOException {
        Path frames = Files.createDirectories(dir.resolve("frames"));
        TwoRoomWorld world = new TwoRoomWorld(spec, episode.doorY());
        StringBuilder states = new StringBuilder("x,y\n");
        for (int t = 0; t < episode.states().length; t++) {
            double[] s = episode.states()[t];
            ImageIO.write(world.renderImage(s), "png",
                    frames.resolve(String.format(Locale.ROOT, "%06d.png", t)).toFile());
            states.append(String.format(Locale.ROOT, "%.6f,%.6f%n", s[0] / spec.size(), s[1] / spec.size()));
        }
        StringBuilder actions = new StringBuilder("dx,dy\n");
        for (double[] a : episode.actions()) {
            actions.append(String.format(Locale.ROOT, "%.6f,%.6f%n", a[0] / spec.size(), a[1] / spec.size()));
        }
        Files.writeString(dir.resolve("states.csv"), states);
        Files.writeString(dir.resolve("actions.csv"), actions);
        Files.writeString(dir.resolve("episode.json"), String.format(Locale.ROOT,
                "{\"fps\": 10, \"door_y\": %.4f, \"world\": \"two_room\", \"units\": \"arena size\", \"size\": %d, \"wall_x0\": %s, "
                        + "\"wall_x1\": %s, \"door_height\": %s, \"agent_radius\": %s, \"blob_sigma\": %s, "
                        + "\"max_step\": %s, \"frame_skip\": %d, \"glow\": %s, "
                        + "\"glow_around_wall\": %s, \"wide_glow\": %s}%n",
                episode.doorY(), spec.size(), spec.wallX0(), spec.wallX1(), spec.doorHeight(), spec.agentRadius(),
                spec.blobSigma(), spec.maxStep(), spec.frameSkip(), spec.glow(), spec.glowAroundWall(),
                spec.wideGlow()));
    }
}
