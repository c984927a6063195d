package org.jepa4j.train.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairsFileTest {

    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        Files.createDirectories(dir.resolve("v"));
        for (String f : List.of("a.mp4", "b.mp4", "c.mp4")) {
            Files.writeString(dir.resolve("v").resolve(f), "x");
        }
        return Files.writeString(dir.resolve("pairs.csv"), text);
    }

    @Test
    void readsRelativePathsAndTypes() throws IOException {
        List<VideoPair> pairs = read(csv("# matched pairs\nimpossible, possible ,type\nv/b.mp4,v/a.mp4,vanish\n\n"
                + "v/c.mp4,v/a.mp4,\n"));
        assertEquals(2, pairs.size());
        assertEquals(dir.resolve("v/a.mp4"), pairs.get(0).possible());
        assertEquals(dir.resolve("v/b.mp4"), pairs.get(0).impossible());
        assertEquals("vanish", pairs.get(0).type());
        assertEquals(PairsFile.NO_TYPE, pairs.get(1).type());
        assertEquals(PairsFile.NO_TYPE, read(csv("possible,impossible\nv/a.mp4,v/b.mp4\n")).get(0).type());
    }

    @Test
    void readsGroupsAndRejectsMalformedOnes() throws IOException {
        List<VideoPair> pairs = read(csv("possible,impossible,type,group\nv/a.mp4,v/b.mp4,vanish,q1\n"
                + "v/c.mp4,v/b.mp4,vanish, q1 \nv/a.mp4,v/c.mp4,teleport,\n"));
        assertEquals("q1", pairs.get(0).group());
        assertEquals("q1", pairs.get(1).group());
        assertTrue(pairs.get(0).grouped());
        assertEquals("", pairs.get(2).group());
        assertEquals("", read(csv("possible,impossible,type\nv/a.mp4,v/b.mp4,vanish\n")).get(0).group());

        Path mixed = csv("possible,impossible,type,group\nv/a.mp4,v/b.mp4,vanish,q1\nv/c.mp4,v/b.mp4,wall,q1\n");
        IOException e = assertThrows(IOException.class, () -> PairsFile.read(mixed));
        assertTrue(e.getMessage().contains(mixed + " line 3: group 'q1' has type 'wall' but type 'vanish' on line 2"),
                e.getMessage());
        Path twice = csv("possible,impossible,group\nv/a.mp4,v/b.mp4,q\nv/a.mp4,v/b.mp4,q\n");
        IOException t = assertThrows(IOException.class, () -> PairsFile.read(twice));
        assertTrue(t.getMessage().contains("line 3") && t.getMessage().contains("listed twice in group 'q'"),
                t.getMessage());
        Path missingCell = csv("possible,impossible,type,group\nv/a.mp4,v/b.mp4,vanish\n");
        IOException m = assertThrows(IOException.class, () -> PairsFile.read(missingCell));
        assertTrue(m.getMessage().contains("line 2: 3 columns, expected 4"), m.getMessage());
    }

    private static List<VideoPair> read(Path csv) throws IOException {
        return PairsFile.read(csv);
    }

    @Test
    void missingColumnNamesTheFileAndColumn() throws IOException {
        Path f = csv("possible,other\nv/a.mp4,v/b.mp4\n");
        IOException e = assertThrows(IOException.class, () -> PairsFile.read(f));
        assertTrue(e.getMessage().contains("missing column 'impossible'"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void missingVideoNamesTheLineAndPath() throws IOException {
        Path f = csv("possible,impossible\nv/a.mp4,v/b.mp4\nv/a.mp4,v/gone.mp4\n");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> PairsFile.read(f));
        assertTrue(e.getMessage().contains("gone.mp4"), e.getMessage());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("impossible video not found"), e.getMessage());
    }

    @Test
    void shortLinesAndEmptyFilesAndMissingFile() throws IOException {
        IOException shortLine = assertThrows(IOException.class,
                () -> PairsFile.read(csv("possible,impossible,type\nv/a.mp4\n")));
        assertTrue(shortLine.getMessage().contains("line 2"), shortLine.getMessage());
        IOException empty = assertThrows(IOException.class, () -> PairsFile.read(csv("possible,impossible\n")));
        assertTrue(empty.getMessage().contains("no pairs"), empty.getMessage());
        assertThrows(NoSuchFileException.class, () -> PairsFile.read(dir.resolve("none.csv")));
    }
}
