package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Draws sampled masks as a PNG (plain {@code javax.imageio}): for each mask set and each sample one row of small
 * grids, one grid per time step (for images: one row per sample, one grid per mask set), with context, target and
 * dropped tokens in three colors, a title and a legend.
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
     * Renders the picture of already sampled masks. Videos ({@code frames > 1}): one row per mask set and sample,
     * one small grid per time step. Images ({@code frames == 1}): one row per sample, one column per mask set.
     *
     * @param title title line
     * @param grid token grid the ids refer to
     * @param names one name per mask set
     * @param sets the mask sets, all with the same batch size
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
        int samples = sets.get(0).batchSize();
        List<Row> rows = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        if (grid.depth() > 1) {
            for (int t = 0; t < grid.depth(); t++) {
                headers.add("t=" + t);
            }
            for (int k = 0; k < sets.size(); k++) {
                MaskSet set = sets.get(k);
                for (int b = 0; b < samples; b++) {
                    byte[] kind = classify(grid, set, b, names.get(k));
                    List<Panel> panels = new ArrayList<>();
                    for (int t = 0; t < grid.depth(); t++) {
                        panels.add(new Panel(kind, t));
                    }
                    rows.add(new Row(names.get(k) + (samples > 1 ? "  #" + b : ""),
                            "context " + set.context()[b].length + ", target " + set.target()[b].length,
                            panels, b == samples - 1));
                }
            }
        } else {
            headers.addAll(names);
            for (int b = 0; b < samples; b++) {
                List<Panel> panels = new ArrayList<>();
                int targetTotal = 0;
                for (int k = 0; k < sets.size(); k++) {
                    panels.add(new Panel(classify(grid, sets.get(k), b, names.get(k)), 0));
                    targetTotal += sets.get(k).target()[b].length;
                }
                rows.add(new Row("sample #" + b, "context " + sets.get(0).context()[b].length
                        + ", targets " + targetTotal, panels, false));
            }
        }
        return draw(title + "  (grid " + grid + " = " + grid.numTokens() + " tokens, " + samples
                + (samples == 1 ? " sample)" : " samples)"), grid, headers, rows);
    }

    /** One small grid: the token kinds of one sample and the time step to show. */
    private record Panel(byte[] kind, int t) {
    }

    /** One row of panels with a two-line label; {@code endsGroup} adds extra space below it. */
    private record Row(String label, String detail, List<Panel> panels, boolean endsGroup) {
    }

    private static BufferedImage draw(String title, TokenGrid grid, List<String> headers, List<Row> rows) {
        int cell = Math.max(3, Math.min(10, 84 / Math.max(grid.height(), grid.width())));
        int frameW = grid.width() * cell;
        int frameH = grid.height() * cell;
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        Font labelFont = new Font(Font.SANS_SERIF, Font.BOLD, 12);
        Font smallFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        Font legendFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

        // Measure text with a scratch graphics context.
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int columnW = frameW;
        for (String h : headers) {
            columnW = Math.max(columnW, scratch.getFontMetrics(smallFont).stringWidth(h));
        }
        columnW += FRAME_GAP;
        int labelW = 0;
        for (Row r : rows) {
            labelW = Math.max(labelW, scratch.getFontMetrics(labelFont).stringWidth(r.label()));
            labelW = Math.max(labelW, scratch.getFontMetrics(smallFont).stringWidth(r.detail()));
        }
        labelW += 16;
        int titleW = scratch.getFontMetrics(titleFont).stringWidth(title);
        int legendW = legendWidth(scratch.getFontMetrics(legendFont));
        scratch.dispose();

        int titleH = 44;
        int legendH = 34;
        int groups = 0;
        for (Row r : rows) {
            groups += r.endsGroup() ? 1 : 0;
        }
        int width = 2 * MARGIN + Math.max(Math.max(titleW, legendW), labelW + headers.size() * columnW);
        int height = titleH + rows.size() * (frameH + ROW_GAP) + groups * SET_GAP + legendH + MARGIN;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            g.drawString(title, MARGIN, 20);
            g.setFont(smallFont);
            for (int c = 0; c < headers.size(); c++) {
                g.drawString(headers.get(c), MARGIN + labelW + c * columnW, titleH - 6);
            }
            int y = titleH;
            for (Row r : rows) {
                g.setColor(Color.BLACK);
                g.setFont(labelFont);
                g.drawString(r.label(), MARGIN, y + 14);
                g.setFont(smallFont);
                g.drawString(r.detail(), MARGIN, y + 29);
                for (int c = 0; c < r.panels().size(); c++) {
                    Panel p = r.panels().get(c);
                    drawFrame(g, grid, p.kind(), p.t(), MARGIN + labelW + c * columnW, y, cell);
                }
                y += frameH + ROW_GAP + (r.endsGroup() ? SET_GAP : 0);
            }
            g.setFont(legendFont);
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

    private static final String[] LEGEND = {"context (encoder input)", "target (predicted)", "dropped (neither)"};

    private static int legendWidth(FontMetrics fm) {
        int w = 0;
        for (String label : LEGEND) {
            w += 20 + fm.stringWidth(label) + 24;
        }
        return w;
    }

    private static void drawLegend(Graphics2D g, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        String[] labels = LEGEND;
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
