package org.jepa4j.video.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.video.testutil.TestVideos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoSourceTest {

    @TempDir
    Path dir;

    @Test
    void folderScanKeepsMediaByContentAndLabelsBySubfolder() throws Exception {
        Path root = dir.resolve("data");
        TestVideos.indexed(root.resolve("zebra/a.mp4"), 32, 32, 4, 25);
        TestVideos.indexed(root.resolve("apple/clip.noext"), 32, 32, 4, 25); // no video extension: kept by content
        TestVideos.png(root.resolve("apple/deep/still.png"), 16, 16, 1, 2, 3);
        TestVideos.text(root.resolve("apple/notes.mp4")); // video extension, text content: dropped
        TestVideos.zeroBytes(root.resolve("zebra/empty.mp4"));
        TestVideos.indexed(root.resolve(".hidden/x.mp4"), 32, 32, 4, 25);
        Files.writeString(root.resolve("zebra/readme.txt"), "hello");

        VideoSource src = VideoSource.fromFolder(root);
        assertEquals(List.of("apple", "zebra"), src.labelNames());
        assertEquals(3, src.size());
        for (VideoSample s : src.samples()) {
            String rel = root.relativize(s.path()).toString();
            assertEquals(rel.startsWith("apple") ? 0 : 1, s.label(), rel);
            assertTrue(!rel.contains("notes") && !rel.contains("empty") && !rel.contains("hidden"), rel);
        }

        VideoSource sub = src.subset(new int[] {2, 0});
        assertEquals(List.of(src.get(2), src.get(0)), sub.samples());
        assertEquals(src.labelNames(), sub.labelNames(), "label names survive, so label ids keep their meaning");
        assertTrue(sub.description().contains("2 of 3"), sub.description());
    }

    @Test
    void indexFileResolvesRelativePaths() throws Exception {
        Path a = TestVideos.indexed(dir.resolve("v/a.mp4"), 32, 32, 4, 25);
        Path b = TestVideos.indexed(dir.resolve("v/b b.mp4"), 32, 32, 4, 25);
        Path index = dir.resolve("train.csv");
        Files.writeString(index, "v/a.mp4 3\n\n" + b.toAbsolutePath() + " 1\n");
        VideoSource src = VideoSource.fromIndex(index);
        assertEquals(2, src.size());
        assertEquals(new VideoSample(a.toAbsolutePath().normalize(), 3), src.get(0));
        assertEquals(new VideoSample(b.toAbsolutePath().normalize(), 1), src.get(1));
        assertEquals(4, src.numClasses());
    }

    @Test
    void malformedIndexLineNamesFileAndLine() throws Exception {
        Path index = dir.resolve("bad.csv");
        Files.writeString(index, "a.mp4 1\nb.mp4 cat\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VideoSource.fromIndex(index));
        assertTrue(e.getMessage().contains("bad.csv line 2"), e.getMessage());
    }

    @Test
    void noReadableVideoFailsAtStart() throws Exception {
        Path root = dir.resolve("junk");
        TestVideos.text(root.resolve("a.mp4"));
        TestVideos.fakeMp4(root.resolve("b.mp4"));
        TestVideos.audioOnly(root.resolve("c.mp4"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VideoSource.fromFolder(root));
        assertTrue(e.getMessage().contains("no readable video") && e.getMessage().contains("junk"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VideoSource.of(List.of(root.resolve("missing.mp4"))));
    }
}
