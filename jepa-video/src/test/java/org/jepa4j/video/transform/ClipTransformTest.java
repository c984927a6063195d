package org.jepa4j.video.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.jepa4j.video.decode.RgbFrames;
import org.junit.jupiter.api.Test;

class ClipTransformTest {

    /** T frames of W x H where pixel (x, y) of frame t has R = x, G = y, B = t. */
    private static RgbFrames ramp(int t, int w, int h) {
        byte[] d = new byte[t * w * h * 3];
        for (int f = 0; f < t; f++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int o = ((f * h + y) * w + x) * 3;
                    d[o] = (byte) x;
                    d[o + 1] = (byte) y;
                    d[o + 2] = (byte) f;
                }
            }
        }
        return new RgbFrames(d, t, w, h, 0);
    }

    @Test
    void decodeSizeKeepsAspectWithShortSide() {
        ClipTransform t = ClipTransform.train(224);
        assertEquals(256, t.decodeShortSide());
        assertArrayEquals(new int[] {455, 256}, t.decodeSize(1280, 720));
        assertArrayEquals(new int[] {256, 455}, t.decodeSize(720, 1280));
        assertArrayEquals(new int[] {256, 256}, t.decodeSize(10, 10)); // small videos are upscaled
        assertThrows(IllegalArgumentException.class, () -> t.withDecodeShortSide(200));
    }

    @Test
    void identityCropGivesNormalizedPixels() {
        RgbFrames f = ramp(2, 8, 8);
        ClipTransform t = ClipTransform.eval(8).withDecodeShortSide(8);
        float[] out = new float[t.outputLength(2)];
        t.apply(f, new ClipView(new CropBox(0, 0, 8, 8), false), out, 0);
        Normalization n = Normalization.IMAGENET;
        int plane = 2 * 8 * 8; // [C, T, H, W]
        // frame 1, row 3, column 5
        int idx = 1 * 64 + 3 * 8 + 5;
        assertEquals((5 / 255f - 0.485f) / 0.229f, out[idx], 1e-5);
        assertEquals((3 / 255f - 0.456f) / 0.224f, out[plane + idx], 1e-5);
        assertEquals((1 / 255f - 0.406f) / 0.225f, out[2 * plane + idx], 1e-5);
        assertEquals(n.apply(0, 5), out[idx], 1e-6);
    }

    @Test
    void flipMirrorsColumnsAndCropOffsets() {
        RgbFrames f = ramp(1, 16, 16);
        ClipTransform t = ClipTransform.eval(4).withDecodeShortSide(4);
        float[] out = new float[t.outputLength(1)];
        t.apply(f, new ClipView(new CropBox(6, 2, 4, 4), true), out, 0);
        Normalization n = Normalization.IMAGENET;
        // row 0 of the output is source row 2; columns reversed: 9, 8, 7, 6
        for (int ox = 0; ox < 4; ox++) {
            assertEquals(n.apply(0, 9 - ox), out[ox], 1e-5);
            assertEquals(n.apply(1, 2), out[16 + ox], 1e-5);
        }
    }

    @Test
    void downscaleInterpolatesBilinearly() {
        RgbFrames f = ramp(1, 8, 8);
        ClipTransform t = ClipTransform.eval(4).withDecodeShortSide(4);
        float[] out = new float[t.outputLength(1)];
        t.apply(f, new ClipView(new CropBox(0, 0, 8, 8), false), out, 0);
        // output column o samples source x = (o + 0.5) * 2 - 0.5 = 0.5, 2.5, 4.5, 6.5
        for (int ox = 0; ox < 4; ox++) {
            assertEquals(Normalization.IMAGENET.scale(0) * (2 * ox + 0.5f) + Normalization.IMAGENET.offset(0), out[ox], 1e-5);
        }
    }

    @Test
    void randomResizedCropStaysInRanges() {
        Random rng = new Random(5);
        int flips = 0;
        ClipTransform t = ClipTransform.train(224);
        for (int i = 0; i < 500; i++) {
            List<ClipView> v = t.sampleViews(455, 256, rng);
            assertEquals(1, v.size());
            CropBox c = v.get(0).crop();
            assertTrue(c.fitsIn(455, 256), c.toString());
            double scale = (double) c.width() * c.height() / (455 * 256);
            assertTrue(scale > 0.29 && scale <= 1.0, "scale " + scale);
            double ratio = (double) c.width() / c.height();
            assertTrue(ratio > 0.74 && ratio < 1.36, "ratio " + ratio);
            flips += v.get(0).flip() ? 1 : 0;
        }
        assertTrue(flips > 200 && flips < 300, "flip p = 0.5, got " + flips + "/500");
    }

    @Test
    void evalViewsAreCenteredOrSpread() {
        ClipTransform one = ClipTransform.eval(224); // left = round((455 - 224) / 2) as torchvision
        assertEquals(new CropBox(116, 16, 224, 224), one.sampleViews(455, 256, null).get(0).crop());
        List<ClipView> three = ClipTransform.eval(224, 3).sampleViews(455, 256, null);
        assertEquals(0, three.get(0).crop().x());
        assertEquals(116, three.get(1).crop().x());
        assertEquals(231, three.get(2).crop().x());
    }
}
