package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** {@code jepa4j bench --quick} prints exactly one JSON object with every benchmark's figures. */
class BenchCommandTest {

    @Test
    void quickBenchPrintsOneJsonObject() {
        Cli.Result r = Cli.run("bench", "--quick");
        assertEquals(0, r.code(), r.toString());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject(); // the whole output is one object
        assertTrue(json.get("quick").getAsBoolean());
        assertTrue(json.getAsJsonObject("encoder").get("secondsPerStep").getAsDouble() > 0, r.out());
        assertTrue(json.getAsJsonObject("encoder").get("matmulGflops").getAsDouble() > 0, r.out());
        var blocks = json.getAsJsonObject("blocks").getAsJsonArray("variants");
        assertEquals(3, blocks.size(), r.out()); // DJL's stock blocks, ours, ours with RoPE
        for (var v : blocks) {
            assertTrue(v.getAsJsonObject().get("ratio").getAsDouble() > 0, r.out());
        }
        assertTrue(json.getAsJsonObject("train_step").get("secondsPerStep").getAsDouble() > 0, r.out());
        JsonObject inMemory = json.getAsJsonObject("train_step_memory");
        assertTrue(inMemory.get("secondsPerStep").getAsDouble() > 0, r.out());
        assertEquals(7, inMemory.getAsJsonObject("phases").size(), r.out()); // target ... ema
        if (!inMemory.get("pytorchSecondsPerStep").isJsonNull()) { // python3 imports torch here (never on CI)
            assertTrue(inMemory.get("speedVsPyTorch").getAsDouble() > 0, r.out());
            assertEquals(7, inMemory.getAsJsonObject("pytorchPhases").size(), r.out());
        } else {
            assertTrue(inMemory.get("twinNote").getAsString().contains("not run"), r.out());
        }
        assertTrue(json.getAsJsonObject("decode").get("oursMsPerClip").getAsDouble() > 0, r.out());
        JsonObject memory = json.getAsJsonObject("memory");
        assertEquals(0, memory.get("liveArrayGrowth").getAsInt(), r.out()); // no NDArray leak over 200 trainer steps
        JsonObject plan = json.getAsJsonObject("plan");
        assertTrue(plan.get("msCached").getAsDouble() > 0 && plan.get("msFull").getAsDouble() > 0, r.out());
        assertTrue(plan.get("maxPlanDifference").getAsDouble() < 1e-4, r.out()); // the cache changes no result
        JsonObject worldStep = json.getAsJsonObject("world_step");
        assertTrue(worldStep.get("msCached").getAsDouble() > 0 && worldStep.get("msReference").getAsDouble() > 0,
                r.out());
        assertTrue(worldStep.get("maxLossDifference").getAsDouble() < 1e-5, r.out()); // same losses either way
        JsonObject precision = json.getAsJsonObject("precision");
        assertEquals(2, precision.getAsJsonArray("timings").size(), r.out()); // fp32 and fp16-mixed on a CPU
        for (var t : precision.getAsJsonArray("timings")) {
            assertTrue(t.getAsJsonObject().get("fwdBwdMs").getAsDouble() > 0, r.out());
        }
    }
}
