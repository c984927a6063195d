package org.jepa4j.video.synthetic;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A tiny action-driven world written in the world-model episode format, for tests and benchmarks: a disc on a dark
 * square, moved each step by a random 2-D action (dx, dy) and stopped by the borders. Each episode folder holds
 * {@code frames/000000.png ...}, {@code actions.csv} ({@code dx,dy}, one row per transition, in units of the maximum
 * move), {@code states.csv} ({@code x,y}, the disc centre over the frame size) and {@code episode.json}.
 * A world model that learned the dynamics predicts where the disc goes; copying the last frame cannot.
 */
public final class DiscWorld {

    private DiscWorld() {
    }

    /**
     * What to write.
     *
     * @param episodes number of episodes
     * @param frames frames per episode
     * @param size frame height and width in pixels
     * @param radius disc radius in pixels
     * @param maxMove largest move per step and axis, in pixels
     * @param seed random seed
     */
    public record Spec(int episodes, int frames, int size, int radius, int maxMove, long seed) {
    }

    /**
     * Writes the episodes into {@code dir} ({@code ep_000000/}, ...).
     *
     * @param dir the dataset folder (created)
     * @param spec what to write
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, Spec spec) throws IOException {
        Random rng = new Random(spec.seed());
        int lo = spec.radius();
        int hi = spec.size() - spec.radius();
        for (int e = 0; e < spec.episodes(); e++) {
            Path ep = Files.createDirectories(dir.resolve(String.format(Locale.ROOT, "ep_%06d", e)));
            Path frames = Files.createDirectories(ep.resolve("frames"));
            double x = lo + rng.nextDouble() * (hi - lo);
            double y = lo + rng.nextDouble() * (hi - lo);
            StringBuilder actions = new StringBuilder("dx,dy\n");
            StringBuilder states = new StringBuilder("x,y\n");
            for (int t = 0; t < spec.frames(); t++) {
                draw(frames.resolve(String.format(Locale.ROOT, "%06d.png", t)), x, y, spec);
                states.append(String.format(Locale.ROOT, "%.6f,%.6f%n", x / spec.size(), y / spec.size()));
                if (t < spec.frames() - 1) {
                    double ax = rng.nextDouble() * 2 - 1;
                    double ay = rng.nextDouble() * 2 - 1;
                    actions.append(String.format(Locale.ROOT, "%.6f,%.6f%n", ax, ay));
                    x = Math.max(lo, Math.min(hi, x + ax * spec.maxMove()));
                    y = Math.max(lo, Math.min(hi, y + ay * spec.maxMove()));
                }
            }
            Files.writeString(ep.resolve("actions.csv"), actions, StandardCharsets.UTF_8);
            Files.writeString(ep.resolve("states.csv"), states, StandardCharsets.UTF_8);
            Files.writeString(ep.resolve("episode.json"), "{\"fps\": 10, \"world\": \"disc\"}",
                    StandardCharsets.UTF_8);
        }
    }

    private static void draw(Path file, double x, double y, Spec spec) throws IOException {
        BufferedImage img = new BufferedImage(spec.size(), spec.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(20, 24, 40));
        g.fillRect(0, 0, spec.size(), spec.size());
        g.setColor(new Color(240, 200, 60));
        int r = spec.radius();
        g.fill(new java.awt.geom.Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
