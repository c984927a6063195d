package org.jepa4j.train.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad world-train settings give an error naming the key at fault, not an arithmetic failure. */
class WorldTrainConfigTest {

    @Test
    void badValuesNameTheirKey() {
        for (String key : List.of("model.tubelet_size", "model.num_frames", "data.batch_size")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WorldTrainConfig.defaultConfig().withOverrides(List.of(key + "=0")), key);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorldTrainConfig.defaultConfig().withOverrides(List.of("data.clip_frames=3",
                        "loss.auto_steps=4")));
        assertTrue(e.getMessage().contains("loss.auto_steps"), e.getMessage());
        assertEquals(7, WorldTrainConfig.defaultConfig().withOverrides(List.of("data.clip_frames=7")).clipFrames());
    }
}
