package org.jepa4j.video.decode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Full probe of a file with FFmpeg: opens it, checks it has a video stream, and decodes its first frame.
 * Results are cached per file (path, size and modification time), so probing a file twice costs nothing.
 * Thread-safe.
 */
public final class MediaProbe {

    /**
     * Outcome of a probe.
     *
     * @param readable whether a first frame could be decoded
     * @param info stream information when readable, else null
     * @param reason why the file is not readable, else null
     */
    public record Result(boolean readable, VideoInfo info, String reason) {
    }

    private record Key(Path path, long size, long modified) {
    }

    private static final MediaProbe SHARED = new MediaProbe();

    private final ConcurrentMap<Key, Result> cache = new ConcurrentHashMap<>();

    /**
     * A process-wide probe whose cache is shared by all sources.
     *
     * @return a process-wide probe whose cache is shared by all sources
     */
    public static MediaProbe shared() {
        return SHARED;
    }

    /** Creates a probe with an empty cache. */
    public MediaProbe() {
    }

    /**
     * Probes a file (cached).
     *
     * @param path file to probe
     * @return whether FFmpeg can decode a video frame from it, and why not otherwise
     */
    public Result probe(Path path) {
        Key key;
        try {
            key = new Key(path, Files.size(path), Files.getLastModifiedTime(path).toMillis());
        } catch (IOException e) {
            return new Result(false, null, "cannot read file: " + e.getMessage());
        }
        return cache.computeIfAbsent(key, k -> probeUncached(k.path()));
    }

    private static Result probeUncached(Path path) {
        try (ClipDecoder decoder = new ClipDecoder()) {
            VideoInfo info = decoder.open(path);
            decoder.read(new int[] {0}, Math.min(info.width(), 64), Math.min(info.height(), 64));
            return new Result(true, info, null);
        } catch (UnreadableVideoException e) {
            return new Result(false, null, e.reason());
        }
    }
}
