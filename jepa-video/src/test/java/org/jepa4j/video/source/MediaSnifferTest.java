package org.jepa4j.video.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MediaSnifferTest {

    private static byte[] header(int... b) {
        byte[] out = new byte[Math.max(b.length, 16)];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void knownSignatures() {
        assertEquals(MediaSniffer.Verdict.MEDIA, MediaSniffer.classify(header(0, 0, 0, 0x20, 'f', 't', 'y', 'p')));
        assertEquals(MediaSniffer.Verdict.MEDIA, MediaSniffer.classify(header(0x1A, 0x45, 0xDF, 0xA3)));
        assertEquals(MediaSniffer.Verdict.MEDIA, MediaSniffer.classify(header(0xFF, 0xD8, 0xFF, 0xE0)));
        assertEquals(MediaSniffer.Verdict.MEDIA, MediaSniffer.classify(header(0x89, 'P', 'N', 'G')));
        assertEquals(MediaSniffer.Verdict.MEDIA,
                MediaSniffer.classify(header('R', 'I', 'F', 'F', 1, 2, 3, 4, 'A', 'V', 'I', ' ')));
    }

    @Test
    void obviousNonMedia() {
        assertEquals(MediaSniffer.Verdict.NOT_MEDIA,
                MediaSniffer.classify("videos/a.mp4 3\nvideos/b.mp4 1\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(MediaSniffer.Verdict.NOT_MEDIA, MediaSniffer.classify(header('P', 'K', 3, 4)));
        assertEquals(MediaSniffer.Verdict.NOT_MEDIA, MediaSniffer.classify(header('%', 'P', 'D', 'F')));
        assertEquals(MediaSniffer.Verdict.NOT_MEDIA, MediaSniffer.classify(new byte[2]));
        // a WAV file is RIFF but not AVI: left to the full probe
        assertEquals(MediaSniffer.Verdict.UNKNOWN,
                MediaSniffer.classify(header('R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'A', 'V', 'E', 0x01, 0x02)));
    }
}
