package org.jepa4j.train.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.SyntheticVideos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files the folder scan leaves out although their names say video appear by name in bad_files.csv. */
class ScanSkippedFilesReportTest {

    @TempDir
    Path dir;

    @Test
    void badFilesCsvNamesEmptyAndTextVideosButNotNotes() throws Exception {
        Path videos = dir.resolve("videos");
        SyntheticVideos.write(videos, new SyntheticVideos.Spec(2, 8, 32, 8, 1, 3));
        Files.write(videos.resolve("left/empty.mp4"), new byte[0]);
        Files.writeString(videos.resolve("left/text.avi"), "this is not a video\n");
        Files.writeString(videos.resolve("left/notes.txt"), "plainly not media\n");
        Path weights = dir.resolve("enc.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            SafeTensors.write(weights, new VisionTransformer(FeatureExtractorTest.CONFIG, m, 5L).parameters(), null);
        }
        Path out = dir.resolve("out");
        ExtractionReport r;
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.safeTensors(weights, FeatureExtractorTest.CONFIG))) {
            r = FeatureExtractor.builder().setEncoder(enc).build().extract(VideoSource.fromFolder(videos), out);
        }
        assertEquals(2, r.samplesWritten());
        List<String> names = r.badFiles().stream().map(b -> b.path().getFileName().toString()).sorted().toList();
        assertEquals(List.of("empty.mp4", "text.avi"), names);
        assertTrue(r.badFiles().stream().allMatch(b -> b.sample() == BadFile.NOT_A_SAMPLE), r.badFiles().toString());
        String csv = Files.readString(out.resolve(FeatureExtractor.BAD_FILES));
        assertTrue(csv.contains("empty.mp4") && csv.contains("0 bytes") && csv.contains("text.avi")
                && csv.contains("text, not video") && !csv.contains("notes.txt"), csv);
        assertTrue(csv.contains("\n,"), "the sample column is empty for files that never became samples:\n" + csv);
    }
}
