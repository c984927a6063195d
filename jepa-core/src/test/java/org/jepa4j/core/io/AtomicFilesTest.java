package org.jepa4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void createsParentsAndReplacesLeavingNoTemporaryFile() throws IOException {
        Path file = dir.resolve("a/b/notes.txt");
        AtomicFiles.writeString(file, "first");
        assertEquals("first", Files.readString(file));
        AtomicFiles.write(file, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap("sec".getBytes()));
            AtomicFiles.writeFully(ch, ByteBuffer.wrap("ond é".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        });
        assertEquals("second é", Files.readString(file));
        assertEquals(List.of(file), list(file.getParent()));
    }

    @Test
    void failedWriteLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("keep.txt");
        AtomicFiles.writeString(file, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap("half".getBytes()));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, ch -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), list(dir));
    }

    private static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }
}
