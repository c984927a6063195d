package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskStatisticsAndPicturesTest {

    @Test
    void summaryIsCorrect() {
        MaskStatistics.Summary s = MaskStatistics.Summary.of(new int[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(2.0, s.sd(), 1e-12);
        assertEquals(2, s.min());
        assertEquals(9, s.max());
    }

    @Test
    void jsonCarriesEverySet() {
        MaskStatistics stats = MaskStatistics.compute("vjepa", MultiBlock3dMaskGenerator.vjepa(), 50, 1);
        JsonObject root = JsonParser.parseString(stats.toJson()).getAsJsonObject();
        assertEquals("vjepa", root.get("generator").getAsString());
        assertEquals(1568, root.get("numTokens").getAsInt());
        assertEquals(50, root.get("samples").getAsInt());
        JsonArray sets = root.getAsJsonArray("maskSets");
        assertEquals(2, sets.size());
        JsonObject first = sets.get(0).getAsJsonObject();
        assertEquals("short-range", first.get("name").getAsString());
        double mean = first.getAsJsonObject("context").get("mean").getAsDouble();
        assertEquals(stats.sets().get(0).context().mean(), mean, 1e-3);
        int min = first.getAsJsonObject("target").get("min").getAsInt();
        int max = first.getAsJsonObject("target").get("max").getAsInt();
        assertTrue(min <= max && max <= 1568);
        assertTrue(stats.toText().contains("long-range"));
        // same seed, same numbers
        assertEquals(stats, MaskStatistics.compute("vjepa", MultiBlock3dMaskGenerator.vjepa(), 50, 1));
    }

    @Test
    void pngIsWrittenAndShowsThreeColors(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sub/vjepa.png");
        MultiBlock3dMaskGenerator gen = MultiBlock3dMaskGenerator.vjepa();
        MaskPictures.write(png, "V-JEPA multiblock 3D", gen, gen.grid(), 2, 5);
        assertTrue(Files.size(png) > 0);
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "PNG does not decode");
        assertTrue(img.getWidth() > 300 && img.getHeight() > 100);
        boolean context = false;
        boolean target = false;
        boolean dropped = false; // seed 5 truncates the short-range rows, so some tokens are dropped
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                context |= rgb == MaskPictures.CONTEXT.getRGB() - 0xFF000000;
                target |= rgb == (MaskPictures.TARGET.getRGB() & 0xFFFFFF);
                dropped |= rgb == (MaskPictures.DROPPED.getRGB() & 0xFFFFFF);
            }
        }
        assertTrue(context && target && dropped, "a token color is missing from the picture");
    }

    @Test
    void pngOfImageMasks(@TempDir Path dir) throws Exception {
        MultiBlock2dMaskGenerator gen = MultiBlock2dMaskGenerator.ijepa();
        Path png = dir.resolve("ijepa.png");
        MaskPictures.write(png, "I-JEPA multiblock 2D", gen.grid(), gen.maskSetNames(), gen.sample(1, new Random(2)));
        assertNotNull(ImageIO.read(png.toFile()));
    }

    @Test
    void picturesRejectIdsOutsideTheGrid() {
        MaskSet bad = new MaskSet(new long[][] {{0, 1}}, new long[][] {{500}});
        MultiBlock3dMaskGeneratorTest.assertMessage(
                () -> MaskPictures.render("x", new TokenGrid(1, 4, 4), List.of("bad"), List.of(bad)), "outside grid");
    }
}
