package org.jepa4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces files atomically: readers see the old file or the complete new one, never a part, and a crash
 * leaves at most a hidden temporary file behind.
 *
 * <p>{@link #write} writes the new content to a temporary file in the same folder (named
 * {@code .<name>.<random>.tmp}), syncs it to disk, renames it over the target with an atomic move, then
 * syncs the folder so the rename itself survives a crash.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes the whole content of a new file to an open channel. */
    @FunctionalInterface
    public interface ContentWriter {

        /**
         * Writes the content.
         *
         * @param channel the temporary file, open for writing, positioned at 0
         * @throws IOException if writing fails
         */
        void write(FileChannel channel) throws IOException;
    }

    /**
     * Creates or replaces {@code file} atomically with the content {@code content} writes; creates missing
     * parent folders.
     *
     * @param file the destination
     * @param content writes the new content
     * @throws AtomicMoveNotSupportedException if the file system cannot rename atomically (nothing replaced)
     * @throws IOException if writing fails; the previous file, if any, is then untouched and the temporary
     *     file deleted
     */
    public static void write(Path file, ContentWriter content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.write(ch);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Creates or replaces {@code file} atomically with {@code text} in UTF-8 (see {@link #write}).
     *
     * @param file the destination
     * @param text the new content
     * @throws IOException if writing fails; the previous file, if any, is then untouched
     */
    public static void writeString(Path file, String text) throws IOException {
        write(file, ch -> writeFully(ch, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * Writes all remaining bytes of {@code buf} (a single channel write may write fewer).
     *
     * @param ch the channel
     * @param buf the bytes, consumed
     * @throws IOException if writing fails
     */
    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /**
     * Syncs a folder so that renames and creations in it are durable. Not every platform can open a folder
     * for syncing (e.g. Windows); there this does nothing, and a rename is still atomic.
     *
     * @param dir the folder
     */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported on this platform: the rename itself is still atomic
        }
    }
}
