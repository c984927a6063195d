package org.jepa4j.train.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.io.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end on the tiny V-JEPA 2 fixture: Hugging Face directory + preprocessed inputs -> last_hidden_state. */
class TensorFileExtractorTest {

    static final Path MODEL = Path.of("src/test/resources/hf/vjepa2-tiny");

    @TempDir
    Path dir;

    @Test
    void lastHiddenStateMatchesTransformers() throws Exception {
        Path out = dir.resolve("out.safetensors");
        List<long[]> calls = new ArrayList<>();
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.huggingFace(MODEL))) {
            // the first run fills the encoder's RoPE table cache; a second run must not add arrays anywhere
            TensorFileExtractor.extract(enc, MODEL.resolve("io.safetensors"), dir.resolve("warm.safetensors"), 2,
                    ProgressListener.NONE);
            int before = enc.manager().getManagedArrays().size();
            Shape shape = TensorFileExtractor.extract(enc, MODEL.resolve("io.safetensors"), out, 1,
                    (done, total, bad) -> calls.add(new long[] {done, total, bad}));
            assertEquals(new Shape(2, 32, 96), shape);
            assertEquals(before, enc.manager().getManagedArrays().size(), "arrays leaked into the encoder's manager");
        }
        assertEquals(2, calls.size(), "one progress call per batch of 1");
        assertEquals(2, calls.get(1)[0]);
        assertEquals(2, calls.get(1)[1]);
        try (SafeTensorsReader got = SafeTensors.open(out);
                SafeTensorsReader ref = SafeTensors.open(MODEL.resolve("io.safetensors"))) {
            float[] a = got.readFloats(TensorFileExtractor.OUTPUT_KEY);
            float[] b = ref.readFloats("encoder_last_hidden_state");
            assertEquals(b.length, a.length);
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            assertTrue(max < 1e-4, "max abs diff " + max);
            assertEquals(List.of(TensorFileExtractor.OUTPUT_KEY), got.names());
        }
    }

    @Test
    void missingOrMisshapedInputIsNamed() throws Exception {
        Path noKey = dir.resolve("nokey.safetensors");
        SafeTensors.writeData(noKey, Map.of("pixel_values", TensorData.ofFloats(new float[3 * 64 * 64], 1, 3, 64, 64)),
                null);
        Path badRank = dir.resolve("rank.safetensors");
        SafeTensors.writeData(badRank, Map.of("pixel_values_videos",
                TensorData.ofFloats(new float[3 * 64 * 64], 1, 3, 64, 64)), null);
        try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.huggingFace(MODEL))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TensorFileExtractor.extract(enc, noKey, dir.resolve("o.safetensors"), 2, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("pixel_values_videos") && e.getMessage().contains("nokey"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> TensorFileExtractor.extract(enc, badRank, dir.resolve("o.safetensors"), 2, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("[B, T, C, H, W]"), e.getMessage());
        }
    }
}
