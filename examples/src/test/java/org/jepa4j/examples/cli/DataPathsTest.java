package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.video.source.VideoSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder, index file and list file inputs of {@code --data} / {@code --source}. */
class DataPathsTest {

    @TempDir
    Path dir;

    @Test
    void indexLinesEndWithAnIntegerLabel() {
        assertTrue(DataPaths.isIndex(List.of("# comment", "a/b.mp4 0", "", "c d.mp4 12")));
        assertFalse(DataPaths.isIndex(List.of("a/b.mp4", "c.mp4 1")));
        assertFalse(DataPaths.isIndex(List.of("a/b.mp4 x")));
        assertFalse(DataPaths.isIndex(List.of("# only comments")));
    }

    @Test
    void foldersIndexAndListFilesAreConcatenated() throws Exception {
        List<Path> files = Cli.videosWithBrokenFile(dir.resolve("v"), 4);
        Path index = dir.resolve("index.txt");
        Files.write(index, List.of("v/left/episode_0000.mp4 3", "v/right/episode_0001.mp4 5"));
        Path list = dir.resolve("list.txt");
        Files.write(list, List.of("# two files", files.get(2).toString(), "v/right/episode_0003.mp4"));
        VideoSource s = DataPaths.source(List.of(dir.resolve("v"), index, list));
        assertEquals(5 + 2 + 2, s.size(), "folder (4 + broken) + index + list");
        assertEquals(3, s.get(5).label());
        assertEquals(5, s.get(6).label());
        assertEquals(0, s.get(8).label(), "list files carry no labels");
        assertThrows(NoSuchFileException.class, () -> DataPaths.source(List.of(dir.resolve("missing"))));
    }
}
