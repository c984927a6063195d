package org.jepa4j.video.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jepa4j.video.testutil.TestVideos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder scan names the files it leaves out whose names say video or image, with the reason. */
class SkippedFilesTest {

    @TempDir
    Path dir;

    @Test
    void mediaByNameButNotByContentIsNamedWithItsReason() throws Exception {
        Path root = dir.resolve("data");
        TestVideos.indexed(root.resolve("a.mp4"), 32, 32, 4, 25);
        TestVideos.zeroBytes(root.resolve("empty.mp4"));
        TestVideos.text(root.resolve("text.avi"));
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        noise[0] = 1; // not a known signature
        Files.write(root.resolve("noise.mkv"), noise);
        Files.writeString(root.resolve("notes.txt"), "plainly not media");

        VideoSource src = VideoSource.fromFolder(root);
        assertEquals(1, src.size());
        Map<String, String> reasons = new TreeMap<>();
        for (SkippedFile f : src.skippedFiles()) {
            reasons.put(f.path().getFileName().toString(), f.reason());
        }
        assertEquals(java.util.Set.of("empty.mp4", "text.avi", "noise.mkv"), reasons.keySet(),
                "notes.txt is plainly not media and stays a count: " + reasons);
        assertTrue(reasons.get("empty.mp4").contains("0 bytes"), reasons.toString());
        assertTrue(reasons.get("text.avi").contains("text"), reasons.toString());
        assertTrue(!reasons.get("noise.mkv").isBlank(), reasons.toString());
        assertTrue(src.subset(new int[] {0}).skippedFiles().isEmpty(), "a subset is no folder scan");
    }
}
