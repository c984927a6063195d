package org.jepa4j.video.mask;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Draws sampled masks as a PNG (plain {@code javax.imageio}): for each mask set and each sample one row of small
 * grids, one grid per time step, with context, target and dropped tokens in three colors, a title and a legend.
 *
 * <p>"Dropped" tokens are neither context nor target: tokens cut by the batch truncation, and for I-JEPA the
 * tokens outside the context block and outside the drawn target block.
 */
public final class MaskPictures {

    /** Color of context tokens (blue). */
    public static final Color CONTEXT = new Color(0x2F6DB5);
    /** Color of target tokens (orange). */
    public static final Color TARGET = new Color(0xF28E2B);
    /** Color of tokens that are neither (light grey). */
    public static final Color DROPPED = new Color(0xDDDDDD);

    private static final int MARGIN = 12;
    private static final int LABEL_WIDTH = 190;
    private static final int FRAME_GAP = 6;
    private static final int ROW_GAP = 8;
    private static final int SET_GAP = 14;

    private MaskPictures() {
    }

    /**
     * Samples one batch of {@code samples} from {@code generator} with {@code new Random(seed)} and writes its picture.
     *
     * @param png output file (parent directories are created)
     * @param title title line, e.g. "V-JEPA multiblock 3D"
     * @param generator the generator
     * @param grid the generator's token grid
     * @param samples samples (rows per set), at least 1
     * @param seed random seed
     * @throws IOException if the file cannot be written
     */
    public static void write(Path png, String title, MaskGenerator generator, TokenGrid grid, int samples, long seed)
            throws IOException {
        Objects.requireNonNull(generator, "generator");
        if (grid.numTokens() != generator.numTokens()) {
            throw new IllegalArgumentException("grid " + grid + " has " + grid.numTokens()
                    + " tokens but the generator has " + generator.numTokens());
        }
        List<MaskSet> sets = generator.sample(samples, new Random(seed));
        write(png, title, grid, generator.maskSetNames(), sets);
    }

    /**
     * Writes the picture of already sampled masks.
     *
     * @param png output file (parent directories are created)
     * @param title title line
     * @param grid token grid the ids refer to
     * @param names one name per mask set
     * @param sets the mask sets
     * @throws IOException if the file cannot be written
     */
    public static void write(Path png, String title, TokenGrid grid, List<String> names, List<MaskSet> sets)
            throws IOException {
        BufferedImage image = render(title, grid, names, sets);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer available for " + png);
        }
    }

    /**
     * Renders the picture of already sampled masks.
     *
     * @param title title line
     * @param grid token grid the ids refer to
     * @param names one name per mask set
     * @param sets the mask sets
     * @return the image
     */
    public static BufferedImage render(String title, TokenGrid grid, List<String> names, List<MaskSet> sets) {
        Objects.requireNonNull(grid, "grid");
        if (names.size() != sets.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + sets.size() + " mask sets");
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no mask sets to draw");
        }
        int cell = Math.max(3, Math.min(10, 84 / Math.max(grid.height(), grid.width())));
        int frameW = grid.width() * cell;
        int frameH = grid.height() * cell;
        int samples = sets.get(0).batchSize();
        int titleH = 44;
        int legendH = 34;
        int rows = sets.size() * samples;
        int width = 2 * MARGIN + LABEL_WIDTH + grid.frames() * (frameW + FRAME_GAP);
        int height = titleH + rows * (frameH + ROW_GAP) + (sets.size() - 1) * SET_GAP + legendH + MARGIN;
        width = Math.max(width, 420);

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title + "  (grid " + grid + " = " + grid.numTokens() + " tokens, " + samples
                    + (samples == 1 ? " sample)" : " samples)"), MARGIN, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int t = 0; t < grid.frames(); t++) {
                g.drawString("t=" + t, MARGIN + LABEL_WIDTH + t * (frameW + FRAME_GAP), titleH - 6);
            }

            int y = titleH;
            for (int k = 0; k < sets.size(); k++) {
                MaskSet set = sets.get(k);
                for (int b = 0; b < set.batchSize(); b++) {
                    byte[] kind = classify(grid, set, b, names.get(k)); // [T*H*W]: 0 dropped, 1 context, 2 target
                    g.setColor(Color.BLACK);
                    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                    g.drawString(names.get(k) + (samples > 1 ? "  #" + b : ""), MARGIN, y + 14);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                    g.drawString("context " + set.context()[b].length + ", target " + set.target()[b].length,
                            MARGIN, y + 29);
                    for (int t = 0; t < grid.frames(); t++) {
                        int x0 = MARGIN + LABEL_WIDTH + t * (frameW + FRAME_GAP);
                        drawFrame(g, grid, kind, t, x0, y, cell);
                    }
                    y += frameH + ROW_GAP;
                }
                y += SET_GAP;
            }
            drawLegend(g, MARGIN, height - legendH + 6);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static byte[] classify(TokenGrid grid, MaskSet set, int b, String name) {
        byte[] kind = new byte[grid.numTokens()];
        mark(kind, set.context()[b], (byte) 1, grid, name);
        mark(kind, set.target()[b], (byte) 2, grid, name);
        return kind;
    }

    private static void mark(byte[] kind, long[] ids, byte value, TokenGrid grid, String name) {
        for (long id : ids) {
            if (id < 0 || id >= kind.length) {
                throw new IllegalArgumentException("mask set '" + name + "' has token id " + id
                        + " outside grid " + grid + " (" + kind.length + " tokens)");
            }
            kind[(int) id] = value;
        }
    }

    private static void drawFrame(Graphics2D g, TokenGrid grid, byte[] kind, int t, int x0, int y0, int cell) {
        for (int r = 0; r < grid.height(); r++) {
            for (int c = 0; c < grid.width(); c++) {
                byte k = kind[grid.index(t, r, c)];
                g.setColor(k == 1 ? CONTEXT : k == 2 ? TARGET : DROPPED);
                g.fillRect(x0 + c * cell, y0 + r * cell, cell, cell);
            }
        }
        if (cell >= 5) { // thin white lines between tokens
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1f));
            for (int r = 1; r < grid.height(); r++) {
                g.drawLine(x0, y0 + r * cell, x0 + grid.width() * cell - 1, y0 + r * cell);
            }
            for (int c = 1; c < grid.width(); c++) {
                g.drawLine(x0 + c * cell, y0, x0 + c * cell, y0 + grid.height() * cell - 1);
            }
        }
    }

    private static void drawLegend(Graphics2D g, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        String[] labels = {"context (encoder input)", "target (predicted)", "dropped (neither)"};
        Color[] colors = {CONTEXT, TARGET, DROPPED};
        for (int i = 0; i < labels.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x, y, 14, 14);
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x, y, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(labels[i], x + 20, y + 12);
            x += 20 + fm.stringWidth(labels[i]) + 24;
        }
    }
}
