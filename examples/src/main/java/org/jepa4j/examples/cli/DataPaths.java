package org.jepa4j.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.video.source.VideoSample;
import org.jepa4j.video.source.VideoSource;

/**
 * Turns the {@code --data}/{@code --source} paths of the command line into one {@link VideoSource}. Each path is
 * <ul>
 *   <li>a folder: scanned recursively, labels from first-level sub-folder names ({@link VideoSource#fromFolder});</li>
 *   <li>an index file: every non-comment line is {@code path label} with an integer label
 *       ({@link VideoSource#fromIndex});</li>
 *   <li>a list file: one media path per line, no labels (label 0); relative paths are resolved against the list
 *       file's folder; blank lines and {@code #} comments are ignored.</li>
 * </ul>
 * Several paths are concatenated in order (labels keep their numbers; label names are then the numbers).
 */
final class DataPaths {

    private DataPaths() {
    }

    /**
     * Builds the source.
     *
     * @param paths folders, index files or list files (at least one)
     * @return the samples
     * @throws NoSuchFileException naming the first path that does not exist
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if a source holds no readable media (names it)
     */
    static VideoSource source(List<Path> paths) throws IOException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no data path given");
        }
        requireExisting(paths.toArray(new Path[0]));
        List<VideoSource> parts = new ArrayList<>();
        for (Path p : paths) {
            parts.add(one(p));
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<VideoSample> all = new ArrayList<>();
        parts.forEach(s -> all.addAll(s.samples()));
        return VideoSource.ofSamples(all);
    }

    /**
     * Checks that the given paths exist (null ones, options not given, are skipped).
     *
     * @param paths the paths
     * @throws NoSuchFileException naming the first path that does not exist
     */
    static void requireExisting(Path... paths) throws NoSuchFileException {
        for (Path p : paths) {
            if (p != null && !Files.exists(p)) {
                throw new NoSuchFileException(p.toString());
            }
        }
    }

    private static VideoSource one(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            return VideoSource.fromFolder(p);
        }
        List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
        if (isIndex(lines)) {
            return VideoSource.fromIndex(p);
        }
        Path base = p.toAbsolutePath().normalize().getParent();
        List<Path> files = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Path f = Path.of(line);
            files.add(f.isAbsolute() ? f : base.resolve(f));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(p + ": the list file names no media file");
        }
        return VideoSource.of(files);
    }

    /** Whether every non-comment line ends with a space and an integer label (the reference index format). */
    static boolean isIndex(List<String> lines) {
        boolean any = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int cut = line.lastIndexOf(' ');
            if (cut <= 0 || !line.substring(cut + 1).matches("\\d+")) {
                return false;
            }
            any = true;
        }
        return any;
    }
}
