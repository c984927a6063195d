package org.jepa4j.train.physics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pairs file: CSV with a header naming the columns {@code possible} and {@code impossible} (video paths,
 * relative to the CSV file's folder unless absolute) and optionally {@code type} and {@code group}. Pairs with the
 * same non-empty {@code group} form one balanced set (e.g. the two pairs of an IntPhys quadruplet) scored together by
 * the pairwise test; a pair with an empty group is its own group. A group must keep one type and list each pair once.
 * Blank lines and lines starting with {@code #} are skipped. Every error names the file, and the line or column at
 * fault.
 *
 * <pre>
 * possible,impossible,type,group
 * vanish/0000_possible.mp4,vanish/0000_impossible.mp4,vanish,vanish/0000
 * vanish/0000_absent_possible.mp4,vanish/0000_appears_impossible.mp4,vanish,vanish/0000
 * teleport/0000_possible.mp4,teleport/0000_impossible.mp4,teleport,
 * </pre>
 */
public final class PairsFile {

    /** Type given to pairs when the file has no {@code type} column. */
    public static final String NO_TYPE = "all";

    private PairsFile() {}

    /**
     * Reads and checks a pairs file: both columns present, every video file present.
     *
     * @param csv the pairs file
     * @return the pairs in file order
     * @throws NoSuchFileException if the CSV file does not exist
     * @throws IOException if it cannot be read, a column is missing, a line is malformed or a video is missing
     */
    public static List<VideoPair> read(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new NoSuchFileException(csv.toString(), null, "pairs file not found");
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Path base = csv.toAbsolutePath().getParent();
        int headerLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (!skip(lines.get(i))) {
                headerLine = i;
                break;
            }
        }
        if (headerLine < 0) {
            throw new IOException(csv + ": empty pairs file (expected a header 'possible,impossible[,type]')");
        }
        List<String> header = Arrays.stream(split(lines.get(headerLine)))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
        int possible = column(csv, header, "possible");
        int impossible = column(csv, header, "impossible");
        int type = header.indexOf("type");
        int group = header.indexOf("group");
        List<VideoPair> pairs = new ArrayList<>();
        Map<String, String> groupType = new HashMap<>();
        Map<String, Integer> groupLine = new HashMap<>();
        Set<String> groupPairs = new HashSet<>();
        for (int i = headerLine + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (skip(line)) {
                continue;
            }
            String[] cells = split(line);
            int needed = Math.max(Math.max(possible, impossible), Math.max(type, group)) + 1;
            if (cells.length < needed) {
                throw new IOException(csv + " line " + (i + 1) + ": " + cells.length + " columns, expected "
                        + header.size() + " (" + String.join(",", header) + ")");
            }
            Path p = video(csv, base, i, cells[possible], "possible");
            Path q = video(csv, base, i, cells[impossible], "impossible");
            String t = type >= 0 && !cells[type].isBlank() ? cells[type].trim() : NO_TYPE;
            String g = group >= 0 ? cells[group].trim() : "";
            if (!g.isEmpty()) {
                String before = groupType.putIfAbsent(g, t);
                if (before != null && !before.equals(t)) {
                    throw new IOException(csv + " line " + (i + 1) + ": group '" + g + "' has type '" + t
                            + "' but type '" + before + "' on line " + groupLine.get(g)
                            + " (a group is one balanced set of one violation type)");
                }
                groupLine.putIfAbsent(g, i + 1);
                if (!groupPairs.add(g + "\u0000" + p + "\u0000" + q)) {
                    throw new IOException(csv + " line " + (i + 1) + ": pair " + cells[possible] + " / "
                            + cells[impossible] + " listed twice in group '" + g + "'");
                }
            }
            pairs.add(new VideoPair(p, q, t, g));
        }
        if (pairs.isEmpty()) {
            throw new IOException(csv + ": no pairs after the header");
        }
        return pairs;
    }

    private static boolean skip(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].trim();
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                c = c.substring(1, c.length() - 1);
            }
            cells[i] = c;
        }
        return cells;
    }

    private static int column(Path csv, List<String> header, String name) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IOException(csv + ": missing column '" + name + "' in header '" + String.join(",", header)
                    + "' (expected columns possible,impossible and optionally type,group)");
        }
        return i;
    }

    private static Path video(Path csv, Path base, int line, String cell, String column) throws IOException {
        if (cell.isBlank()) {
            throw new IOException(csv + " line " + (line + 1) + ": empty '" + column + "' path");
        }
        Path p = base.resolve(cell).normalize();
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, csv + " line " + (line + 1) + ": " + column
                    + " video not found");
        }
        return p;
    }
}
