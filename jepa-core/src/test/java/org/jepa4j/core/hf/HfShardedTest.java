package org.jepa4j.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.io.TensorData;
import org.jepa4j.core.io.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model directory split into safetensors shards plus model.safetensors.index.json loads like the single file. */
class HfShardedTest {

    /** Splits the tiny V-JEPA 2 fixture into two shards (tensors alternating) and writes the index. */
    static Map<String, String> shard(Path dir) throws IOException {
        Files.copy(HfParityTest.VJEPA2.resolve("config.json"), dir.resolve("config.json"));
        Map<String, TensorData> first = new LinkedHashMap<>();
        Map<String, TensorData> second = new LinkedHashMap<>();
        Map<String, String> weightMap = new LinkedHashMap<>();
        try (SafeTensorsReader r = SafeTensors.open(HfParityTest.VJEPA2.resolve("model.safetensors"))) {
            List<TensorInfo> infos = r.infos();
            for (int i = 0; i < infos.size(); i++) {
                TensorInfo t = infos.get(i);
                TensorData data = new TensorData(t.dtype(), t.shape(), r.readBytes(t.name()));
                String file = i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
                (i % 2 == 0 ? first : second).put(t.name(), data);
                weightMap.put(t.name(), file);
            }
        }
        SafeTensors.writeData(dir.resolve("model-00001-of-00002.safetensors"), first, Map.of());
        SafeTensors.writeData(dir.resolve("model-00002-of-00002.safetensors"), second, Map.of());
        writeIndex(dir, weightMap);
        return weightMap;
    }

    static void writeIndex(Path dir, Map<String, String> weightMap) throws IOException {
        JsonObject index = new JsonObject();
        index.add("metadata", new JsonObject());
        JsonObject wm = new JsonObject();
        weightMap.forEach(wm::addProperty);
        index.add("weight_map", wm);
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
    }

    @Test
    void shardedDirectoryGivesIdenticalOutputs(@TempDir Path dir) throws Exception {
        shard(dir);
        try (NDManager m = NDManager.newBaseManager();
                SafeTensorsReader io = SafeTensors.open(HfParityTest.VJEPA2.resolve("io.safetensors"))) {
            VJepa2Checkpoint single = HfCheckpoints.loadVJepa2(HfParityTest.VJEPA2, m);
            VJepa2Checkpoint sharded = HfCheckpoints.loadVJepa2(dir, m);
            NDArray video = io.load("pixel_values_videos", m).transpose(0, 2, 1, 3, 4); // [B, C, T, H, W]
            NDArray expected = single.encoder().forward(video); // [B, N, D]
            assertEquals(0f, sharded.encoder().forward(video).sub(expected).abs().max().getFloat());
            HfParityTest.assertClose(io.load("logits", m),
                    sharded.classifier().forward(sharded.encoder().forward(video)), "sharded logits");
        }
    }

    @Test
    void missingShardOrTensorIsNamed(@TempDir Path dir) throws Exception {
        Map<String, String> weightMap = shard(dir);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, String> extra = new LinkedHashMap<>(weightMap);
            extra.put("vjepa2.encoder.ghost.weight", "model-00002-of-00002.safetensors");
            writeIndex(dir, extra);
            IOException e = assertThrows(IOException.class, () -> HfCheckpoints.loadVJepa2(dir, m));
            assertTrue(e.getMessage().contains("'vjepa2.encoder.ghost.weight'")
                    && e.getMessage().contains("model-00002-of-00002.safetensors"), e.getMessage());

            writeIndex(dir, weightMap);
            Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
            NoSuchFileException e2 = assertThrows(NoSuchFileException.class, () -> HfCheckpoints.loadVJepa2(dir, m));
            assertTrue(e2.getFile().endsWith("model-00002-of-00002.safetensors"), e2.getMessage());

            Files.delete(dir.resolve("model.safetensors.index.json"));
            NoSuchFileException e3 = assertThrows(NoSuchFileException.class, () -> HfCheckpoints.loadVJepa2(dir, m));
            assertTrue(e3.getMessage().contains("index"), e3.getMessage());
        }
    }
}
