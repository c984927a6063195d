package org.jepa4j.video.loader;

import java.nio.file.Path;

/**
 * A sample left out of its {@link Batch} because its file could not be decoded (only with
 * {@link ClipLoader.Builder#optReplaceBadFiles(boolean) optReplaceBadFiles(false)}).
 *
 * @param position the sample's position in the epoch order
 * @param sourceIndex the sample's index in the loader's source ({@code VideoSource.get(sourceIndex)})
 * @param path the file
 * @param reason why it could not be decoded (the reason logged at WARN and kept in {@link LoaderStats#badFiles()})
 */
public record SkippedSample(int position, int sourceIndex, Path path, String reason) {
}
