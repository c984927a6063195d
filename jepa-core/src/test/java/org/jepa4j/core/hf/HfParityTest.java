package org.jepa4j.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.model.VisionTransformer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our modules reproduce the Hugging Face reference outputs stored next to the tiny checkpoints. */
class HfParityTest {

    static final Path VJEPA2 = Path.of("src/test/resources/hf/vjepa2-tiny");
    static final Path IJEPA = Path.of("src/test/resources/hf/ijepa-tiny");
    static final double TOL = 1e-4;

    static NDManager manager;
    static VJepa2Checkpoint vjepa2;
    static Map<String, NDArray> io;

    @BeforeAll
    static void load() throws Exception {
        manager = NDManager.newBaseManager();
        vjepa2 = HfCheckpoints.loadVJepa2(VJEPA2, manager);
        try (SafeTensorsReader r = SafeTensors.open(VJEPA2.resolve("io.safetensors"))) {
            io = r.loadAll(manager);
        }
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape");
        double diff = expected.sub(actual).abs().max().getFloat();
        System.out.printf("%s max abs diff %.3g%n", what, diff);
        assertTrue(diff < TOL, what + ": max abs diff " + diff + " >= " + TOL);
    }

    static NDArray video() {
        return io.get("pixel_values_videos").transpose(0, 2, 1, 3, 4); // [B, T, C, H, W] -> [B, C, T, H, W]
    }

    @Test
    void encoderMatches() {
        NDArray out = vjepa2.encoder().forward(video());
        assertClose(io.get("encoder_last_hidden_state"), out, "encoder_last_hidden_state");
        assertClose(io.get("vision_features"), out, "vision_features");
    }

    @Test
    void maskedAndTargetStatesMatch() {
        NDArray full = vjepa2.encoder().forward(video()); // [B, N, D]
        NDArray ctx = io.get("context_mask_0");
        NDArray tgt = io.get("target_mask_0");
        assertClose(io.get("masked_hidden_state"), gather(full, ctx), "masked_hidden_state");
        assertClose(io.get("target_hidden_state"), gather(full, tgt), "target_hidden_state");
    }

    @Test
    void predictorMatchesWithMaskIndexOne() {
        NDArray full = vjepa2.encoder().forward(video());
        NDArray ctx = io.get("context_mask_0");
        NDArray tgt = io.get("target_mask_0");
        NDArray pred = vjepa2.predictor().forward(gather(full, ctx), ctx, tgt, 1);
        assertClose(io.get("predictor_last_hidden_state"), pred, "predictor_last_hidden_state");
    }

    @Test
    void classifierLogitsMatch() {
        NDArray logits = vjepa2.classifier().forward(vjepa2.encoder().forward(video()));
        assertClose(io.get("logits"), logits, "logits");
        assertEquals(5, vjepa2.labels().length);
    }

    @Test
    void encoderOnKeptIdsRotatesByIds() {
        // keeping every token, in id order or reversed, must give the full pass (reordered): positions come from ids
        NDArray v = video();
        long n = io.get("encoder_last_hidden_state").getShape().get(1);
        NDArray all = manager.arange(0, n, 1, ai.djl.ndarray.types.DataType.INT64).reshape(1, n).repeat(0, 2);
        assertClose(vjepa2.encoder().forward(v), vjepa2.encoder().forward(v, all), "keepIds = all tokens");
        NDArray reversed = all.flip(1);
        NDArray out = vjepa2.encoder().forward(v, reversed);
        assertClose(vjepa2.encoder().forward(v).flip(1), out, "keepIds = reversed tokens");
    }

    @Test
    void ijepaMatches() throws Exception {
        try (NDManager m = NDManager.newBaseManager();
                SafeTensorsReader r = SafeTensors.open(IJEPA.resolve("io.safetensors"))) {
            VisionTransformer encoder = HfCheckpoints.loadIJepa(IJEPA, m);
            assertEquals(1e-12f, encoder.config().layerNormEps());
            NDArray out = encoder.forward(r.load("pixel_values", m));
            assertClose(r.load("last_hidden_state", m), out, "last_hidden_state");
        }
    }

    static NDArray gather(NDArray x, NDArray ids) {
        Shape s = ids.getShape();
        return x.gather(ids.reshape(s.get(0), s.get(1), 1).broadcast(s.get(0), s.get(1), x.getShape().get(2)), 1);
    }
}
