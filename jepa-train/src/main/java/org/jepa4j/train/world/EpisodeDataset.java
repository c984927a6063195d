package org.jepa4j.train.world;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jepa4j.video.decode.ClipDecoder;
import org.jepa4j.video.decode.UnreadableVideoException;
import org.jepa4j.video.decode.VideoInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of episodes for world-model training:
 * <pre>
 *   DATA/
 *     episodes.txt          optional index: one episode folder per line, relative to DATA ('#' comments);
 *                           without it every sub-folder holding an actions.csv is an episode (sorted by name)
 *     ep_000000/
 *       frames.mp4          the frames as a video (any FFmpeg-readable container: .mp4, .avi, .mkv, .webm, .mov)
 *       frames/000000.png   ... or numbered images (png/jpg), sorted by name
 *       actions.csv         header = dimension names; one row per transition (T-1 rows) or per frame (T rows, the
 *                           last ignored)
 *       states.csv          header = dimension names; one row per frame (T rows)
 *       episode.json        optional: {"fps": 10, ...any other fields}
 * </pre>
 * Opening validates every episode: a problem (action dimension other than expected, fewer action rows than the
 * frames need, NaN/Inf, a missing or unreadable file) is an {@link EpisodeException} naming the episode; an episode
 * shorter than a clip is skipped and reported ({@link #skipped()}), not fatal.
 */
public final class EpisodeDataset {

    private static final Logger LOG = LoggerFactory.getLogger(EpisodeDataset.class);

    /** Name of the optional index file. */
    public static final String INDEX = "episodes.txt";
    private static final List<String> VIDEO_EXT = List.of(".mp4", ".avi", ".mkv", ".webm", ".mov", ".m4v");
    private static final List<String> IMAGE_EXT = List.of(".png", ".jpg", ".jpeg");

    private final Path root;
    private final List<Episode> episodes;
    private final Map<String, String> skipped;
    private final int clipFrames;
    private final int frameStep;

    private EpisodeDataset(Path root, List<Episode> episodes, Map<String, String> skipped, int clipFrames,
            int frameStep) {
        this.root = root;
        this.episodes = List.copyOf(episodes);
        this.skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
        this.clipFrames = clipFrames;
        this.frameStep = frameStep;
    }

    /**
     * Reads and validates a dataset folder.
     *
     * @param root the dataset folder
     * @param clipFrames frames per training clip (at least 2)
     * @param frameStep distance between a clip's frames (at least 1)
     * @param actionDim the expected action dimension (the predictor's {@code action_embed_dim}), or 0 to take the
     *     first episode's and require the same of the others
     * @return the dataset (at least one usable episode)
     * @throws IOException if the folder or an index cannot be read
     * @throws EpisodeException naming the episode whose data are bad
     * @throws IllegalArgumentException if no episode is long enough for a clip
     */
    public static EpisodeDataset open(Path root, int clipFrames, int frameStep, int actionDim) throws IOException {
        if (clipFrames < 2 || frameStep < 1) {
            throw new IllegalArgumentException("clips need >= 2 frames and a frame step >= 1, got " + clipFrames
                    + " frames, step " + frameStep);
        }
        if (!Files.isDirectory(root)) {
            throw new java.nio.file.NoSuchFileException(root.toString(), null, "not a dataset folder");
        }
        List<Path> dirs = episodeDirs(root);
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException(root + ": no episode (no sub-folder holds an actions.csv, and there is "
                    + "no " + INDEX + ")");
        }
        List<Episode> episodes = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        int expected = actionDim;
        int stateDim = 0;
        try (ClipDecoder decoder = new ClipDecoder()) {
            for (Path dir : dirs) {
                Episode e = read(root, dir, decoder);
                if (expected <= 0) {
                    expected = e.actionDim();
                } else if (e.actionDim() != expected) {
                    throw new EpisodeException(dir, "actions.csv has " + e.actionDim() + " columns " + e.actionNames()
                            + " but the world model takes " + expected + "-D actions"
                            + (actionDim > 0 ? " (action_embed_dim)" : " (as the first episode)"));
                }
                if (stateDim == 0) {
                    stateDim = e.stateDim();
                } else if (e.stateDim() != stateDim) {
                    throw new EpisodeException(dir, "states.csv has " + e.stateDim() + " columns, the first episode "
                            + stateDim);
                }
                if (e.clipCount(clipFrames, frameStep) == 0) {
                    skipped.put(e.name(), e.frames() + " frames, a clip needs " + ((clipFrames - 1) * frameStep + 1));
                    continue;
                }
                episodes.add(e);
            }
        }
        if (!skipped.isEmpty()) {
            LOG.warn("{}: {} episode(s) shorter than a clip of {} frames (step {}) skipped: {}", root, skipped.size(),
                    clipFrames, frameStep, skipped);
        }
        if (episodes.isEmpty()) {
            throw new IllegalArgumentException(root + ": no episode is long enough for a clip of " + clipFrames
                    + " frames (step " + frameStep + "); skipped: " + skipped);
        }
        return new EpisodeDataset(root, episodes, skipped, clipFrames, frameStep);
    }

    private static List<Path> episodeDirs(Path root) throws IOException {
        Path index = root.resolve(INDEX);
        List<Path> dirs = new ArrayList<>();
        if (Files.isRegularFile(index)) {
            int line = 0;
            for (String raw : Files.readAllLines(index, StandardCharsets.UTF_8)) {
                line++;
                String s = raw.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                Path d = root.resolve(s).normalize();
                if (!Files.isDirectory(d)) {
                    throw new IllegalArgumentException(index + " line " + line + ": '" + s + "' is not a folder");
                }
                dirs.add(d);
            }
            return dirs;
        }
        try (Stream<Path> list = Files.list(root)) {
            list.filter(p -> Files.isDirectory(p) && Files.isRegularFile(p.resolve("actions.csv"))).sorted()
                    .forEach(dirs::add);
        }
        return dirs;
    }

    /** Reads and validates one episode folder (a too-short episode is returned; the caller skips it). */
    static Episode read(Path root, Path dir, ClipDecoder decoder) throws IOException {
        String name = root.relativize(dir).toString();
        Path video = null;
        List<Path> images = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (n.startsWith("frames.") && VIDEO_EXT.stream().anyMatch(n::endsWith)) {
                    video = p;
                }
            }
        }
        Path frameDir = dir.resolve("frames");
        if (Files.isDirectory(frameDir)) {
            try (Stream<Path> list = Files.list(frameDir)) {
                list.filter(p -> IMAGE_EXT.stream().anyMatch(p.getFileName().toString().toLowerCase(Locale.ROOT)
                        ::endsWith)).sorted().forEach(images::add);
            }
        }
        int frames;
        if (video != null) {
            try {
                VideoInfo info = decoder.open(video);
                frames = info.frameCount();
            } catch (UnreadableVideoException e) {
                throw new EpisodeException(dir, "unreadable frames: " + e.getMessage(), e);
            }
            if (frames <= 0) {
                throw new EpisodeException(dir, video.getFileName() + ": the container does not tell its frame "
                        + "count; write the frames as numbered images instead");
            }
            images.clear();
        } else if (!images.isEmpty()) {
            frames = images.size();
        } else {
            throw new EpisodeException(dir, "no frames: expected frames.mp4 (or another video container) or "
                    + "frames/*.png|jpg");
        }
        Csv actions = Csv.read(dir, "actions.csv");
        Csv states = Csv.read(dir, "states.csv");
        if (actions.rows.size() < frames - 1) {
            throw new EpisodeException(dir, "actions.csv has " + actions.rows.size() + " rows but the " + frames
                    + " frames need " + (frames - 1) + " (one per transition) or " + frames + " (one per frame)");
        }
        if (actions.rows.size() > frames) {
            throw new EpisodeException(dir, "actions.csv has " + actions.rows.size() + " rows, more than the "
                    + frames + " frames (one per transition or per frame)");
        }
        if (states.rows.size() != frames) {
            throw new EpisodeException(dir, "states.csv has " + states.rows.size() + " rows; the " + frames
                    + " frames need one state each");
        }
        float[][] a = actions.rows.subList(0, frames - 1).toArray(new float[0][]);
        float[][] s = states.rows.toArray(new float[0][]);
        Double fps = null;
        Map<String, String> extra = new LinkedHashMap<>();
        Path json = dir.resolve("episode.json");
        if (Files.isRegularFile(json)) {
            JsonObject o;
            try {
                o = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new EpisodeException(dir, "episode.json is not a JSON object: " + e.getMessage(), e);
            }
            for (Map.Entry<String, JsonElement> f : o.entrySet()) {
                if (f.getKey().equals("fps")) {
                    fps = f.getValue().getAsDouble();
                    if (!(fps > 0)) {
                        throw new EpisodeException(dir, "episode.json: fps must be > 0, got " + fps);
                    }
                } else {
                    extra.put(f.getKey(), f.getValue().isJsonPrimitive() ? f.getValue().getAsString()
                            : f.getValue().toString());
                }
            }
        }
        return new Episode(name, dir, frames, video, images, a, s, actions.header, states.header, fps, extra);
    }

    /** A numeric CSV file with a header, validated (finite values, a value per column). */
    private record Csv(List<String> header, List<float[]> rows) {

        static Csv read(Path dir, String file) throws IOException {
            Path p = dir.resolve(file);
            if (!Files.isRegularFile(p)) {
                throw new EpisodeException(dir, "no " + file);
            }
            List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                throw new EpisodeException(dir, file + " is empty (expected a header naming the dimensions)");
            }
            List<String> header = List.of(lines.get(0).strip().split("\\s*,\\s*"));
            List<float[]> rows = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\\s*,\\s*", -1);
                if (f.length != header.size()) {
                    throw new EpisodeException(dir, file + " line " + (i + 1) + " has " + f.length + " values, the "
                            + "header " + header.size() + " " + header);
                }
                float[] v = new float[f.length];
                for (int j = 0; j < f.length; j++) {
                    try {
                        v[j] = Float.parseFloat(f[j]);
                    } catch (NumberFormatException e) {
                        throw new EpisodeException(dir, file + " line " + (i + 1) + ", column '" + header.get(j)
                                + "': not a number: '" + f[j] + "'");
                    }
                    if (!Float.isFinite(v[j])) {
                        throw new EpisodeException(dir, file + " line " + (i + 1) + ", column '" + header.get(j)
                                + "': " + f[j] + " (NaN and Inf are not allowed)");
                    }
                }
                rows.add(v);
            }
            return new Csv(header, rows);
        }
    }

    /**
     * Returns the dataset folder.
     *
     * @return returns the dataset folder
     */
    public Path root() {
        return root;
    }

    /**
     * Returns the usable episodes, in index (or name) order.
     *
     * @return returns the usable episodes, in index (or name) order
     */
    public List<Episode> episodes() {
        return episodes;
    }

    /**
     * Returns the episodes skipped for being shorter than a clip: name to reason.
     *
     * @return returns the episodes skipped for being shorter than a clip: name to reason
     */
    public Map<String, String> skipped() {
        return skipped;
    }

    /**
     * Frames per clip.
     *
     * @return frames per clip
     */
    public int clipFrames() {
        return clipFrames;
    }

    /**
     * Distance between a clip's frames.
     *
     * @return distance between a clip's frames
     */
    public int frameStep() {
        return frameStep;
    }

    /**
     * Action dimension of every episode.
     *
     * @return action dimension of every episode
     */
    public int actionDim() {
        return episodes.get(0).actionDim();
    }

    /**
     * State dimension of every episode.
     *
     * @return state dimension of every episode
     */
    public int stateDim() {
        return episodes.get(0).stateDim();
    }

    /**
     * Total number of clip start positions over all episodes.
     *
     * @return total number of clip start positions over all episodes
     */
    public long clipCount() {
        long n = 0;
        for (Episode e : episodes) {
            n += e.clipCount(clipFrames, frameStep);
        }
        return n;
    }

    /**
     * The clip with a global index in {@code [0, clipCount())}: episodes in order, starts in order.
     *
     * @param index the clip index
     * @return the clip
     */
    public Clip clip(long index) {
        long i = index;
        for (Episode e : episodes) {
            int n = e.clipCount(clipFrames, frameStep);
            if (i < n) {
                return new Clip(e, (int) i);
            }
            i -= n;
        }
        throw new IndexOutOfBoundsException("clip " + index + " of " + clipCount());
    }

    /**
     * One clip: frames {@code start, start + step, ...} of an episode.
     *
     * @param episode the episode
     * @param start first frame
     */
    public record Clip(Episode episode, int start) {
    }
}
