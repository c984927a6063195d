package org.jepa4j.train.plan;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;

/**
 * Draws planning episodes of the two-room world as a contact sheet: per episode the arena with its wall and door,
 * the start (green), the goal (blue ring of the success radius), the path taken (yellow) and a label (same- or
 * cross-room, reached or not).
 */
public final class PathPictures {

    private static final int SCALE = 3;
    private static final int COLUMNS = 10;

    private PathPictures() {}

    /**
     * Writes a contact sheet of episodes.
     *
     * @param png destination file (parent folders created)
     * @param spec the world's settings
     * @param report the episodes
     * @param max largest number of episodes drawn (the first ones)
     * @throws IOException if the file cannot be written
     */
    public static void write(Path png, TwoRoomSpec spec, TwoRoomEvaluation.Report report, int max)
            throws IOException {
        List<TwoRoomEvaluation.EpisodeResult> eps = report.episodes().subList(0, Math.min(max,
                report.episodes().size()));
        int tile = spec.size() * SCALE;
        int cols = Math.min(COLUMNS, Math.max(1, eps.size()));
        int rows = (eps.size() + cols - 1) / cols;
        BufferedImage sheet = new BufferedImage(cols * (tile + 4), Math.max(1, rows) * (tile + 4),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        for (int i = 0; i < eps.size(); i++) {
            TwoRoomEvaluation.EpisodeResult e = eps.get(i);
            int ox = (i % cols) * (tile + 4) + 2;
            int oy = (i / cols) * (tile + 4) + 2;
            TwoRoomWorld world = e.task().world(spec);
            BufferedImage arena = world.renderImage(new double[] {-100, -100}); // wall and door only
            g.drawImage(arena, ox, oy, tile, tile, null);
            g.setColor(Color.YELLOW);
            g.setStroke(new BasicStroke(2f));
            List<double[]> path = e.path();
            for (int p = 1; p < path.size(); p++) {
                g.drawLine(ox + (int) (path.get(p - 1)[0] * SCALE), oy + (int) (path.get(p - 1)[1] * SCALE),
                        ox + (int) (path.get(p)[0] * SCALE), oy + (int) (path.get(p)[1] * SCALE));
            }
            double[] s = e.task().start();
            double[] goal = e.task().goal();
            g.setColor(Color.GREEN);
            g.fillOval(ox + (int) (s[0] * SCALE) - 5, oy + (int) (s[1] * SCALE) - 5, 10, 10);
            g.setColor(new Color(80, 160, 255));
            int r = (int) (TwoRoomEvaluation.SUCCESS_RADIUS * SCALE);
            g.drawOval(ox + (int) (goal[0] * SCALE) - r, oy + (int) (goal[1] * SCALE) - r, 2 * r, 2 * r);
            g.setColor(e.reached() ? Color.GREEN : Color.RED);
            g.drawString((e.task().crossRoom() ? "cross " : "same ") + (e.reached() ? "reached" : "missed"),
                    ox + 4, oy + 15);
        }
        g.dispose();
        if (png.toAbsolutePath().getParent() != null) {
            Files.createDirectories(png.toAbsolutePath().getParent());
        }
        ImageIO.write(sheet, "png", png.toFile());
    }
}
