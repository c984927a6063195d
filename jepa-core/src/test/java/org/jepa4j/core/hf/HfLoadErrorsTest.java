package org.jepa4j.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.model.WeightMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong model types, broken configs and mismatched weights fail with one clear exception. */
class HfLoadErrorsTest {

    @Test
    void wrongModelTypeIsNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HfCheckpoints.loadVJepa2(HfParityTest.IJEPA, m));
            assertTrue(e.getMessage().contains("model_type 'ijepa'") && e.getMessage().contains("'vjepa2'"),
                    e.getMessage());
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                    () -> HfCheckpoints.loadIJepa(HfParityTest.VJEPA2, m));
            assertTrue(e2.getMessage().contains("model_type 'vjepa2'"), e2.getMessage());
        }
    }

    @Test
    void missingFilesAndKeysAreNamed(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(NoSuchFileException.class, () -> HfCheckpoints.loadIJepa(dir, m));
            String config = Files.readString(HfParityTest.IJEPA.resolve("config.json"));
            Files.writeString(dir.resolve("config.json"), config.replace("\"hidden_size\": 96,", ""));
            Files.copy(HfParityTest.IJEPA.resolve("model.safetensors"), dir.resolve("model.safetensors"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HfCheckpoints.loadIJepa(dir, m));
            assertTrue(e.getMessage().contains("'hidden_size'") && e.getMessage().contains("config.json"),
                    e.getMessage());
        }
    }

    @Test
    void missingUnknownAndMisshapedTensorsAreListedTogether(@TempDir Path dir) throws Exception {
        Files.copy(HfParityTest.VJEPA2.resolve("config.json"), dir.resolve("config.json"));
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors;
            try (SafeTensorsReader r = SafeTensors.open(HfParityTest.VJEPA2.resolve("model.safetensors"))) {
                tensors = new LinkedHashMap<>(r.loadAll(m));
            }
            tensors.remove("vjepa2.encoder.layer.1.mlp.fc2.bias"); // missing
            tensors.remove("vjepa2.predictor.layer.0.attention.key.weight"); // breaks a q/k/v triple
            tensors.put("vjepa2.encoder.extra.weight", m.zeros(new ai.djl.ndarray.types.Shape(3))); // unknown
            tensors.put("classifier.weight", m.zeros(new ai.djl.ndarray.types.Shape(4, 96))); // mis-shaped
            SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of());
            WeightMismatchException e = assertThrows(WeightMismatchException.class,
                    () -> HfCheckpoints.loadVJepa2(dir, m));
            assertTrue(e.missing().contains("encoder.blocks.1.mlp.fc2.bias"), e.getMessage());
            assertTrue(e.missing().stream().anyMatch(s -> s.contains("predictor.predictor_blocks.0.attn.qkv.weight")),
                    e.getMessage());
            assertEquals(java.util.List.of("encoder.extra.weight"), e.unknown(), e.getMessage());
            assertEquals(1, e.misshaped().size(), e.getMessage());
            assertTrue(e.misshaped().get(0).startsWith("linear.weight: expected (5, 96), got (4, 96)"), e.getMessage());
            assertTrue(e.getMessage().contains(dir.resolve("model.safetensors").toString()));
        }
    }
}
