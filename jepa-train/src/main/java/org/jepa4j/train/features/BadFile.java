package org.jepa4j.train.features;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jepa4j.core.io.AtomicFiles;

/**
 * A file an extraction could not use: a sample whose file could not be decoded, or a file the folder scan left out
 * although its name says video or image.
 *
 * @param sample the sample's position in the source, or {@link #NOT_A_SAMPLE} for a file the folder scan left out
 * @param path the file
 * @param reason why it could not be used
 */
public record BadFile(int sample, Path path, String reason) {

    /** The {@link #sample()} of a file that never became a sample (left out by the folder scan). */
    public static final int NOT_A_SAMPLE = -1;

    /**
     * Writes {@code bad} atomically as CSV ({@code sample,path,reason}, by sample; files that never became a sample
     * first, with an empty sample column).
     *
     * @param file the CSV file
     * @param bad the bad files
     * @throws IOException if the file cannot be written
     */
    static void writeCsv(Path file, List<BadFile> bad) throws IOException {
        List<BadFile> byPosition = new ArrayList<>(bad);
        byPosition.sort(Comparator.comparingInt(BadFile::sample));
        StringBuilder sb = new StringBuilder("sample,path,reason\n");
        for (BadFile b : byPosition) {
            sb.append(b.sample() == NOT_A_SAMPLE ? "" : Integer.toString(b.sample())).append(',')
                    .append(FeatureIndex.quote(b.path().toString())).append(',')
                    .append(FeatureIndex.quote(b.reason())).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
