package org.jepa4j.video.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jepa4j.video.decode.MediaProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable list of {@link VideoSample}s (videos or still images with labels) for a loader.
 *
 * <p>Three ways to build one:
 * <ul>
 *   <li>{@link #fromFolder(Path)}: every file under a folder (recursively, sorted, hidden files skipped)
 *       whose content looks like media. The decision comes from the file's bytes, not its extension:
 *       a header check ({@link MediaSniffer}) keeps known containers and images and drops obvious
 *       non-media at once; files with an unknown header get a full FFmpeg probe. Corrupt files with a
 *       valid header are left for the loader, which skips them with one warning each. Labels are the
 *       names of the first-level sub-folders, sorted, numbered from 0 (files directly in the folder
 *       get the label name {@code "."}).</li>
 *   <li>{@link #fromIndex(Path)}: an index file in the reference format, one {@code path label} line per
 *       sample, space-delimited, no header; relative paths are resolved against the index file's
 *       folder; blank lines and lines starting with {@code #} are ignored.</li>
 *   <li>{@link #of(List)} / {@link #ofSamples(List)}: an explicit list.</li>
 * </ul>
 * Every factory checks that at least one sample decodes (probing samples in order until one does) and
 * fails with an {@link IllegalArgumentException} naming the source otherwise.
 */
public final class VideoSource {

    private static final Logger LOG = LoggerFactory.getLogger(VideoSource.class);

    private final String description;
    private final List<VideoSample> samples;
    private final List<String> labelNames;
    private final List<SkippedFile> skippedFiles;

    /** File name endings that say video or image: such a file left out by a folder scan is named, with the reason. */
    private static final java.util.Set<String> MEDIA_ENDINGS = java.util.Set.of("mp4", "m4v", "mov", "avi", "mkv",
            "webm", "mpg", "mpeg", "mts", "m2ts", "ts", "flv", "wmv", "3gp", "ogv", "gif", "jpg", "jpeg", "png", "bmp",
            "webp", "tif", "tiff");

    private VideoSource(String description, List<VideoSample> samples, List<String> labelNames) {
        this(description, samples, labelNames, List.of());
    }

    private VideoSource(String description, List<VideoSample> samples, List<String> labelNames,
            List<SkippedFile> skippedFiles) {
        this.description = description;
        this.samples = List.copyOf(samples);
        this.labelNames = List.copyOf(labelNames);
        this.skippedFiles = List.copyOf(skippedFiles);
    }

    /**
     * Scans a folder recursively for media files.
     *
     * @param root folder to scan
     * @return the source, labels from first-level sub-folder names
     * @throws IllegalArgumentException if the folder does not exist or holds no readable video
     */
    public static VideoSource fromFolder(Path root) {
        Objects.requireNonNull(root, "root");
        Path dir = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("video folder does not exist or is not a directory: " + dir);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(dir, p))
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot scan video folder " + dir + ": " + e.getMessage(), e);
        }
        MediaProbe probe = MediaProbe.shared();
        List<Path> media = new ArrayList<>();
        List<SkippedFile> named = new ArrayList<>();
        int skipped = 0;
        for (Path f : files) {
            MediaSniffer.Verdict v = MediaSniffer.sniff(f);
            MediaProbe.Result probed = v == MediaSniffer.Verdict.UNKNOWN ? probe.probe(f) : null;
            boolean keep = v == MediaSniffer.Verdict.MEDIA || (probed != null && probed.readable());
            if (keep) {
                media.add(f);
            } else if (hasMediaName(f)) {
                skipped++;
                String reason = probed != null ? probed.reason() : MediaSniffer.notMediaReason(f);
                named.add(new SkippedFile(f, reason));
                LOG.warn("folder {}: skipped {}: {}", dir, f, reason);
            } else {
                skipped++;
                LOG.debug("not media, skipped: {}", f);
            }
        }
        TreeSet<String> names = new TreeSet<>();
        for (Path f : media) {
            names.add(labelName(dir, f));
        }
        List<String> labelNames = new ArrayList<>(names);
        List<VideoSample> samples = new ArrayList<>(media.size());
        for (Path f : media) {
            samples.add(new VideoSample(f, labelNames.indexOf(labelName(dir, f))));
        }
        String what = "folder " + dir;
        requireReadable(what, samples, files.size() + " files scanned, " + skipped + " not media"
                + (named.isEmpty() ? "" : ", e.g. " + named.get(0).path() + ": " + named.get(0).reason()));
        LOG.info("{}: {} media files, {} labels ({} other files skipped{})", what, samples.size(),
                labelNames.size(), skipped, named.isEmpty() ? "" : ", " + named.size() + " of them named above");
        return new VideoSource(what, samples, labelNames, named);
    }

    /**
     * Reads an index file of {@code path label} lines.
     *
     * @param indexFile the index file
     * @return the source, with label ids as written in the file
     * @throws IllegalArgumentException if the file cannot be read, a line is malformed (file and line
     *     number given), or no listed file is a readable video
     */
    public static VideoSource fromIndex(Path indexFile) {
        Objects.requireNonNull(indexFile, "indexFile");
        Path index = indexFile.toAbsolutePath().normalize();
        List<String> lines;
        try {
            lines = Files.readAllLines(index, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read index file " + index + ": " + e.getMessage(), e);
        }
        Path base = index.getParent();
        List<VideoSample> samples = new ArrayList<>();
        int maxLabel = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int cut = line.lastIndexOf(' ');
            if (cut <= 0) {
                throw new IllegalArgumentException(index + " line " + (i + 1)
                        + ": expected 'path label' (space-delimited), got '" + line + "'");
            }
            String pathText = line.substring(0, cut).strip();
            String labelText = line.substring(cut + 1);
            int label;
            try {
                label = Integer.parseInt(labelText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(index + " line " + (i + 1) + ": label '" + labelText
                        + "' is not an integer");
            }
            if (label < 0) {
                throw new IllegalArgumentException(index + " line " + (i + 1) + ": negative label " + label);
            }
            Path p = Path.of(pathText);
            samples.add(new VideoSample((p.isAbsolute() ? p : base.resolve(p)).normalize(), label));
            maxLabel = Math.max(maxLabel, label);
        }
        List<String> labelNames = new ArrayList<>();
        for (int l = 0; l <= maxLabel; l++) {
            labelNames.add(Integer.toString(l));
        }
        String what = "index file " + index;
        requireReadable(what, samples, samples.size() + " entries");
        return new VideoSource(what, samples, labelNames);
    }

    /**
     * An explicit list of files, all with label 0.
     *
     * @param files media files
     * @return the source
     * @throws IllegalArgumentException if no file is a readable video
     */
    public static VideoSource of(List<Path> files) {
        List<VideoSample> samples = new ArrayList<>();
        for (Path f : files) {
            samples.add(new VideoSample(f.toAbsolutePath().normalize(), 0));
        }
        return ofSamples(samples);
    }

    /**
     * An explicit list of samples with labels; label names are the label numbers.
     *
     * @param samples samples
     * @return the source
     * @throws IllegalArgumentException if no sample is a readable video
     */
    public static VideoSource ofSamples(List<VideoSample> samples) {
        int maxLabel = samples.stream().mapToInt(VideoSample::label).max().orElse(-1);
        List<String> labelNames = new ArrayList<>();
        for (int l = 0; l <= Math.max(0, maxLabel); l++) {
            labelNames.add(Integer.toString(l));
        }
        String what = "list of " + samples.size() + " files";
        requireReadable(what, samples, samples.size() + " entries");
        return new VideoSource(what, samples, labelNames);
    }

    /**
     * Samples already known to the caller, with their label names, without probing any file: for a part of a source
     * that was checked before (e.g. one partition of a distributed job), where every file, readable or not, must
     * stay in the list so that it is reported.
     *
     * @param description where the samples came from (for messages)
     * @param samples the samples, in order
     * @param labelNames label names; the label id is the index
     * @return the source
     */
    public static VideoSource ofKnownSamples(String description, List<VideoSample> samples, List<String> labelNames) {
        return new VideoSource(description, List.copyOf(samples), List.copyOf(labelNames));
    }

    /**
     * Some of this source's samples, in the given order, with the same label names (no file is probed again).
     *
     * @param indices indices into this source
     * @return the sub-source; its sample {@code i} is this source's sample {@code indices[i]}
     * @throws IndexOutOfBoundsException if an index is outside this source
     */
    public VideoSource subset(int[] indices) {
        List<VideoSample> picked = new ArrayList<>(indices.length);
        for (int i : indices) {
            picked.add(samples.get(i));
        }
        return new VideoSource(description + " (" + indices.length + " of " + samples.size() + " samples)", picked,
                labelNames);
    }

    /**
     * Number of samples.
     *
     * @return number of samples
     */
    public int size() {
        return samples.size();
    }

    /**
     * Sample {@code i}.
     *
     * @param i index, 0 to {@code size() - 1}
     * @return the sample
     */
    public VideoSample get(int i) {
        return samples.get(i);
    }

    /**
     * All samples, in source order.
     *
     * @return all samples, in source order
     */
    public List<VideoSample> samples() {
        return samples;
    }

    /**
     * Label names; the label id is the index in this list.
     *
     * @return label names; the label id is the index in this list
     */
    public List<String> labelNames() {
        return labelNames;
    }

    /**
     * Number of labels.
     *
     * @return number of labels
     */
    public int numClasses() {
        return labelNames.size();
    }

    /**
     * Where the samples came from (for messages).
     *
     * @return where the samples came from (for messages)
     */
    public String description() {
        return description;
    }

    /**
     * Files the folder scan left out although their names say video or image, with the reason.
     *
     * @return the named skipped files of {@link #fromFolder(Path)} (empty for other sources)
     */
    public List<SkippedFile> skippedFiles() {
        return skippedFiles;
    }

    @Override
    public String toString() {
        return "VideoSource[" + description + ", " + samples.size() + " samples, " + labelNames.size() + " labels]";
    }

    /** Probes samples in order until one decodes; fails with a message listing the first reasons. */
    private static void requireReadable(String what, List<VideoSample> samples, String detail) {
        MediaProbe probe = MediaProbe.shared();
        Map<Path, String> reasons = new TreeMap<>();
        for (VideoSample s : samples) {
            MediaProbe.Result r = probe.probe(s.path());
            if (r.readable()) {
                return;
            }
            if (reasons.size() < 5) {
                reasons.put(s.path(), r.reason());
            }
        }
        throw new IllegalArgumentException("no readable video in " + what + " (" + detail + ")"
                + (reasons.isEmpty() ? "" : "; first problems: " + reasons));
    }

    private static boolean hasMediaName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && MEDIA_ENDINGS.contains(name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
    }

    private static String labelName(Path root, Path file) {
        Path rel = root.relativize(file);
        return rel.getNameCount() > 1 ? rel.getName(0).toString() : ".";
    }

    private static boolean isHidden(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
