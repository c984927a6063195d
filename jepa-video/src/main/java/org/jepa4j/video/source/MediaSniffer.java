package org.jepa4j.video.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cheap first-pass probe that looks at the first bytes of a file (never its extension) and sorts it into
 * known media, obvious non-media (empty, text, archives, executables, documents), or unknown.
 *
 * <p>Known media here only means "worth trying with FFmpeg": a truncated or corrupt file with a valid
 * header passes and is caught later by the loader's bad-file handling. Unknown files are given to the full
 * {@link MediaProbe} by {@link VideoSource}.
 */
public final class MediaSniffer {

    /** Outcome of sniffing one file. */
    public enum Verdict {
        /** The header matches a container or image format FFmpeg reads. */
        MEDIA,
        /** Certainly not readable media (empty, text, archive, ...). */
        NOT_MEDIA,
        /** No known signature: needs a real probe. */
        UNKNOWN
    }

    private static final int HEADER_BYTES = 192;

    private MediaSniffer() {
    }

    /**
     * Classifies a file from its size and first bytes.
     *
     * @param file file to look at
     * @return the verdict; I/O errors give {@link Verdict#NOT_MEDIA}
     */
    public static Verdict sniff(Path file) {
        byte[] h;
        try {
            if (Files.size(file) == 0) {
                return Verdict.NOT_MEDIA;
            }
            try (InputStream in = Files.newInputStream(file)) {
                h = in.readNBytes(HEADER_BYTES);
            }
        } catch (IOException e) {
            return Verdict.NOT_MEDIA;
        }
        return classify(h);
    }

    /**
     * Why a file is certainly not media, for messages.
     *
     * @param file a file {@link #sniff} calls {@link Verdict#NOT_MEDIA}
     * @return e.g. {@code empty file (0 bytes)}, {@code text, not video or image}
     */
    static String notMediaReason(Path file) {
        byte[] h;
        try {
            if (Files.size(file) == 0) {
                return "empty file (0 bytes)";
            }
            try (InputStream in = Files.newInputStream(file)) {
                h = in.readNBytes(HEADER_BYTES);
            }
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
        if (h.length < 4) {
            return "only " + h.length + " bytes";
        }
        if (looksLikeText(h)) {
            return "text, not video or image";
        }
        return "another format (archive, document or binary), not video or image";
    }

    /** Classifies a header (package-visible for tests). */
    static Verdict classify(byte[] h) {
        if (h.length < 4) {
            return Verdict.NOT_MEDIA;
        }
        if (isMedia(h)) {
            return Verdict.MEDIA;
        }
        if (isKnownOther(h) || looksLikeText(h)) {
            return Verdict.NOT_MEDIA;
        }
        return Verdict.UNKNOWN;
    }

    private static boolean isMedia(byte[] h) {
        return at(h, 4, "ftyp") // MP4, MOV, M4V, 3GP, HEIF, AVIF
                || at(h, 4, "moov") || at(h, 4, "mdat") || at(h, 4, "free") || at(h, 4, "wide") // old QuickTime
                || bytes(h, 0, 0x1A, 0x45, 0xDF, 0xA3) // Matroska / WebM (EBML)
                || (at(h, 0, "RIFF") && h.length >= 12 && (at(h, 8, "AVI ") || at(h, 8, "WEBP")))
                || bytes(h, 0, 0x00, 0x00, 0x01, 0xBA) || bytes(h, 0, 0x00, 0x00, 0x01, 0xB3) // MPEG-PS / ES
                || bytes(h, 0, 0x00, 0x00, 0x01, 0xB0) || bytes(h, 0, 0x00, 0x00, 0x01, 0xB6) // MPEG-4 part 2 ES
                || bytes(h, 0, 0x00, 0x00, 0x00, 0x01) || bytes(h, 0, 0x00, 0x00, 0x01, 0x09) // H.264/H.265 Annex B
                || isTransportStream(h)
                || at(h, 0, "FLV") || at(h, 0, "OggS")
                || bytes(h, 0, 0x30, 0x26, 0xB2, 0x75) // ASF / WMV
                || bytes(h, 0, 0xFF, 0xD8, 0xFF) // JPEG
                || bytes(h, 0, 0x89, 'P', 'N', 'G') // PNG
                || at(h, 0, "GIF8") || at(h, 0, "BM")
                || bytes(h, 0, 'I', 'I', 0x2A, 0x00) || bytes(h, 0, 'M', 'M', 0x00, 0x2A) // TIFF
                || at(h, 0, "DKIF") // IVF (VP8/VP9/AV1)
                || at(h, 0, "YUV4MPEG2");
    }

    private static boolean isTransportStream(byte[] h) {
        // MPEG-TS: sync byte 0x47 at the start of every 188-byte packet
        return h.length > 188 && h[0] == 0x47 && h[188] == 0x47;
    }

    private static boolean isKnownOther(byte[] h) {
        return at(h, 0, "PK") // zip, jar, docx
                || at(h, 0, "%PDF") || bytes(h, 0, 0x7F, 'E', 'L', 'F') || bytes(h, 0, 0x1F, 0x8B) // gzip
                || at(h, 0, "BZh") || bytes(h, 0, 0xFD, '7', 'z', 'X') || bytes(h, 0, '7', 'z', 0xBC, 0xAF)
                || at(h, 0, "\u0093NUMPY") || at(h, 0, "SQLite");
    }

    /** Printable ASCII / UTF-8 throughout (text files, CSV, JSON, index files). */
    private static boolean looksLikeText(byte[] h) {
        for (byte b : h) {
            int c = b & 0xFF;
            boolean printable = c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c != 0x7F);
            if (!printable) {
                return false;
            }
        }
        return true;
    }

    private static boolean at(byte[] h, int offset, String ascii) {
        byte[] s = ascii.getBytes(StandardCharsets.ISO_8859_1);
        if (h.length < offset + s.length) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (h[offset + i] != s[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean bytes(byte[] h, int offset, int... expected) {
        if (h.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((h[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
