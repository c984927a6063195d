package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jepa4j.train.TrainingData;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.video.mask.MaskStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jepa4j masks}: JSON statistics equal to the library's for the same seed, and a PNG picture. */
class MasksCommandTest {

    @TempDir
    Path dir;

    @Test
    void statisticsJsonAndPicture() throws Exception {
        Cli.Result r = Cli.run("masks", "--config", "vjepa_tiny", "--samples", 300, "--seed", 5, "--out", dir);
        assertEquals(0, r.code(), r.toString());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(json, JsonParser.parseString(Files.readString(dir.resolve("masks.json"))));
        assertEquals(256, json.get("numTokens").getAsInt());
        assertEquals(300, json.get("samples").getAsInt());
        JsonArray sets = json.getAsJsonArray("maskSets");
        assertEquals(2, sets.size());
        MaskStatistics expected = MaskStatistics.compute("x", TrainingData.maskGenerator(TrainConfig.preset(
                "vjepa_tiny")), 300, 5);
        for (int i = 0; i < 2; i++) {
            JsonObject s = sets.get(i).getAsJsonObject();
            double context = s.getAsJsonObject("context").get("mean").getAsDouble();
            double target = s.getAsJsonObject("target").get("mean").getAsDouble();
            assertEquals(expected.sets().get(i).context().mean(), context, 1e-3);
            assertEquals(256, context + target, 1e-6, "V-JEPA context is the complement of the target");
            assertTrue(s.getAsJsonObject("context").get("min").getAsInt() >= 1);
        }
        // the long-range set (2 blocks of scale 0.7) leaves less context than the short-range one
        assertTrue(sets.get(1).getAsJsonObject().getAsJsonObject("context").get("mean").getAsDouble()
                < sets.get(0).getAsJsonObject().getAsJsonObject("context").get("mean").getAsDouble());
        BufferedImage png = ImageIO.read(dir.resolve("masks.png").toFile());
        assertTrue(png.getWidth() > 100 && png.getHeight() > 100);
    }

    @Test
    void imageConfigWithOverrides() {
        Cli.Result r = Cli.run("masks", "--config", "ijepa_vith14", "--samples", 20, "--set", "data.crop_size=168");
        assertEquals(0, r.code(), r.toString());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(144, json.get("numTokens").getAsInt(), "168 / 14 = 12 x 12 patches");
        assertEquals(4, json.getAsJsonArray("maskSets").size(), "one set per I-JEPA target block");
        assertEquals(List.of(1, 12, 12), List.of(json.getAsJsonObject("grid").get("frames").getAsInt(),
                json.getAsJsonObject("grid").get("height").getAsInt(),
                json.getAsJsonObject("grid").get("width").getAsInt()));
    }
}
