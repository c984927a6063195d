package org.jepa4j.train.features;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.core.io.AtomicFiles;

/**
 * The index CSV of an extraction ({@value #FILE_NAME} in the output folder): a header line
 * {@value #HEADER}, then one {@link FeatureRecord} per clip. Fields holding commas, quotes or line breaks are
 * quoted as in RFC 4180.
 */
public final class FeatureIndex {

    /** Name of the index file in an extraction's output folder. */
    public static final String FILE_NAME = "index.csv";
    /** The header line. */
    public static final String HEADER = "sample,path,label,label_name,segment,view,safetensors,tokens_npy,pooled_npy";

    private FeatureIndex() {}

    /**
     * Writes an index atomically.
     *
     * @param file the CSV file
     * @param records the rows
     * @throws IOException if writing fails
     */
    public static void write(Path file, List<FeatureRecord> records) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (FeatureRecord r : records) {
            sb.append(r.sample()).append(',').append(quote(r.path().toString())).append(',').append(r.label())
                    .append(',').append(quote(r.labelName())).append(',').append(r.segment()).append(',')
                    .append(r.view()).append(',').append(quote(r.safetensors())).append(',')
                    .append(quote(r.tokensNpy())).append(',').append(quote(r.pooledNpy())).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /**
     * Reads an index.
     *
     * @param file the CSV file
     * @return its rows in file order
     * @throws IOException if the file cannot be read or a line is malformed (file and line number given)
     */
    public static List<FeatureRecord> read(Path file) throws IOException {
        List<List<String>> rows = parse(file, Files.readString(file, StandardCharsets.UTF_8));
        if (rows.isEmpty() || !String.join(",", rows.get(0)).equals(HEADER)) {
            throw new IOException(file + ": not a feature index (first line must be '" + HEADER + "')");
        }
        List<FeatureRecord> out = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> f = rows.get(i);
            if (f.size() == 1 && f.get(0).isEmpty()) {
                continue;
            }
            if (f.size() != 9) {
                throw new IOException(file + ": record " + i + " has " + f.size() + " fields, expected 9");
            }
            try {
                out.add(new FeatureRecord(Integer.parseInt(f.get(0)), Path.of(f.get(1)), Integer.parseInt(f.get(2)),
                        f.get(3), Integer.parseInt(f.get(4)), Integer.parseInt(f.get(5)), f.get(6), f.get(7),
                        f.get(8)));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": record " + i + " has a non-integer sample/label/segment/view: "
                        + f, e);
            }
        }
        return out;
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static List<List<String>> parse(Path file, String text) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"') {
                    if (i < text.length() && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i < text.length() && text.charAt(i) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IOException(file + ": unterminated quoted field at the end of the file");
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

}
