package org.jepa4j.train.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.train.features.EncoderLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one weight resolver: kinds recognized from a path, and the frozen-encoder loader built from it. */
class WeightSourceTest {

    @TempDir
    Path tmp;

    @Test
    void recognizesEachKindFromThePath() throws IOException {
        WeightSource hf = WeightSource.resolve(InitialWeightsTest.HF);
        assertEquals(WeightSource.Kind.HUGGING_FACE, hf.kind());
        assertEquals("vjepa2", hf.modelType());
        assertTrue(hf.description().contains("V-JEPA 2"), hf.description());
        Path st = Files.writeString(tmp.resolve("enc.safetensors"), "x");
        assertEquals(WeightSource.Kind.SAFETENSORS, WeightSource.resolve(st).kind());
        Path pt = Files.writeString(tmp.resolve("ckpt.pt"), "x");
        assertEquals(WeightSource.Kind.REFERENCE_PT, WeightSource.resolve(pt).kind());
        Path missing = tmp.resolve("nothing");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> WeightSource.resolve(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IOException e2 = assertThrows(IOException.class, () -> WeightSource.resolve(empty));
        assertTrue(e2.getMessage().contains("not a jepa4j run directory"), e2.getMessage());
    }

    @Test
    void encoderLoaderOfAPathUsesTheResolver() throws IOException {
        EncoderLoader loader = EncoderLoader.of(InitialWeightsTest.HF);
        assertTrue(loader.description().startsWith("huggingface:"), loader.description());
        try (NDManager m = NDManager.newBaseManager()) {
            VisionTransformer enc = loader.load(m);
            assertEquals(96, enc.config().width());
        }
        Path st = Files.writeString(tmp.resolve("enc.safetensors"), "x");
        IOException e = assertThrows(IOException.class, () -> EncoderLoader.of(st));
        assertTrue(e.getMessage().contains("EncoderLoader.safeTensors"), e.getMessage());
        IOException e2 = assertThrows(IOException.class,
                () -> InitialWeights.resolve(st));
        assertTrue(e2.getMessage().contains("lone safetensors"), e2.getMessage());
    }
}
