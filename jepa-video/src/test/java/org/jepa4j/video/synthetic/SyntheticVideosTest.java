package org.jepa4j.video.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticVideosTest {

    @Test
    void shapesDriftInTheirLabelledDirection() {
        for (int direction = 0; direction < 2; direction++) {
            ShapesWorld world = new ShapesWorld(64, 1, direction, new Random(3));
            byte[] a = new byte[64 * 64 * 3];
            byte[] b = new byte[64 * 64 * 3];
            world.render(a, 64 * 3);
            world.step();
            world.step();
            world.render(b, 64 * 3);
            double shift = centroidX(b) - centroidX(a);
            assertTrue(direction == 0 ? shift < 0 : shift > 0, "direction " + direction + " moved by " + shift);
        }
    }

    @Test
    void writesDecodableLabelledVideos(@TempDir Path dir) throws Exception {
        List<Path> files = SyntheticVideos.write(dir, new SyntheticVideos.Spec(2, 6, 32, 8, 1, 7L));
        assertEquals(2, files.size());
        assertTrue(files.get(0).startsWith(dir.resolve("left")));
        assertTrue(files.get(1).startsWith(dir.resolve("right")));
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(files.get(1).toFile())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            grabber.start();
            assertEquals(32, grabber.getImageWidth());
            int frames = 0;
            byte[] first = null;
            byte[] last = null;
            Frame f;
            while ((f = grabber.grabImage()) != null) {
                byte[] copy = new byte[f.imageStride * f.imageHeight];
                ((ByteBuffer) f.image[0]).duplicate().get(copy);
                if (first == null) {
                    first = copy;
                }
                last = copy;
                frames++;
            }
            assertEquals(6, frames);
            assertNotEquals(Arrays.hashCode(first), Arrays.hashCode(last), "frames should change over time");
        }
        assertTrue(Files.size(files.get(0)) > 0);
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new SyntheticVideos.Spec(1, 1, 33, 8, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ShapesWorld(64, 1, 2, new Random()));
    }

    private static double centroidX(byte[] rgb) {
        double sum = 0;
        double weight = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int i = (y * 64 + x) * 3;
                int value = (rgb[i] & 0xff) + (rgb[i + 1] & 0xff) + (rgb[i + 2] & 0xff);
                if (value > 250) {
                    sum += x;
                    weight++;
                }
            }
        }
        return sum / weight;
    }
}
