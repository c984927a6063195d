package org.jepa4j.train.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.PredictorConfig;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelSurpriseTest {

    // 8 frames of 16 px, tubelet 2, patch 8: 4 x 2 x 2 = 16 tokens, 4 per time step
    static final VitConfig ENCODER = VitConfig.builder().setWidth(32).setDepth(2).setNumHeads(2).optPatchSize(8)
            .optFrames(8).optTubeletSize(2).optImageSize(16).build();
    static final PredictorConfig PREDICTOR = PredictorConfig.builder(ENCODER).setWidth(16).setDepth(1).setNumHeads(2)
            .optNumMaskTokens(2).build();

    static SurpriseModel model;

    @BeforeAll
    static void build() {
        NDManager m = NDManager.newBaseManager();
        Random r = new Random(7);
        VisionTransformer context = new VisionTransformer(ENCODER, m, r);
        Predictor predictor = new Predictor(PREDICTOR, m, r);
        VisionTransformer target = new VisionTransformer(ENCODER, m, r); // differs from the context encoder
        model = SurpriseModel.of(m, context, target, predictor, "tiny");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static NDArray video(NDManager m, int frames, long seed) {
        Random r = new Random(seed);
        float[] v = new float[3 * frames * 16 * 16];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return m.create(v, new Shape(3, frames, 16, 16));
    }

    /** The reference definition written out for one window and one C, element by element. */
    static double direct(NDManager m, NDArray clip, int contextFrames) {
        NDArray batch = clip.expandDims(0); // [1, 3, 8, 16, 16]
        float[] target = model.targetEncoder().forward(batch).toFloatArray(); // [1, 16, 32]
        int d = 32;
        int nc = contextFrames / 2 * 4;
        NDArray cids = m.arange(0, nc, 1, DataType.INT64).reshape(1, nc);
        NDArray tids = m.arange(nc, 16, 1, DataType.INT64).reshape(1, 16 - nc);
        float[] pred = model.predictor().forward(model.contextEncoder().forward(batch, cids), cids, tids, 0)
                .toFloatArray(); // [1, 16 - nc, 32]
        double sum = 0;
        for (int t = nc; t < 16; t++) {
            double mean = 0;
            for (int c = 0; c < d; c++) {
                mean += target[t * d + c];
            }
            mean /= d;
            double var = 0;
            for (int c = 0; c < d; c++) {
                var += (target[t * d + c] - mean) * (target[t * d + c] - mean);
            }
            var /= d;
            for (int c = 0; c < d; c++) {
                double normed = (target[t * d + c] - mean) / Math.sqrt(var + 1e-5);
                sum += Math.abs(pred[(t - nc) * d + c] - normed);
            }
        }
        return sum / ((16 - nc) * d);
    }

    @Test
    void windowSurpriseEqualsDirectComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = video(m, 12, 1); // windows start at 0, 2, 4
            VideoSurprise s = new ModelSurprise(model, List.of(2, 4, 6), 2, 2).score(v);
            assertEquals(3, s.windows().size());
            for (WindowSurprise w : s.windows()) {
                NDArray clip = v.get(new NDIndex(":, {}:{}", w.start(), w.start() + 8));
                double min = Double.POSITIVE_INFINITY;
                int[] cs = {2, 4, 6};
                for (int k = 0; k < 3; k++) {
                    double expected = direct(m, clip, cs[k]);
                    assertEquals(expected, w.byContext()[k], 1e-5 * Math.max(1, expected), "window " + w.start()
                            + " C=" + cs[k]);
                    min = Math.min(min, expected);
                }
                assertEquals(min, w.value(), 1e-5 * Math.max(1, min));
            }
            double mean = s.windows().stream().mapToDouble(WindowSurprise::value).average().orElseThrow();
            assertEquals(mean, s.mean(), 1e-12);
            assertEquals(s.windows().stream().mapToDouble(WindowSurprise::value).max().orElseThrow(), s.max(), 0);
        }
    }

    @Test
    void pairIdenticalUntilFrameKHasIdenticalSurprisesBefore() {
        int k = 13;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray possible = video(m, 24, 2);
            NDArray tail = video(m, 24, 3).get(new NDIndex(":, {}:", k));
            NDArray impossible = possible.get(new NDIndex(":, :{}", k)).concat(tail, 1); // same until frame k
            ModelSurprise measure = new ModelSurprise(model, List.of(2, 4), 2, 3);
            VideoSurprise a = measure.score(possible);
            VideoSurprise b = measure.score(impossible);
            assertEquals(a.windows().size(), b.windows().size());
            int before = 0;
            for (int i = 0; i < a.windows().size(); i++) {
                WindowSurprise wa = a.windows().get(i);
                WindowSurprise wb = b.windows().get(i);
                if (wa.start() + 8 <= k) {
                    assertEquals(wa.value(), wb.value(), 0, "window at " + wa.start() + " ends before frame " + k);
                    before++;
                } else {
                    assertNotEquals(wa.value(), wb.value(), "window at " + wa.start() + " sees the difference");
                }
            }
            assertEquals(3, before); // windows 0, 2, 4 end at frames 7, 9, 11
        }
    }

    @Test
    void contextLengthsMustFitTheClip() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelSurprise(model, List.of(3), 2, 1));
        assertTrue(e.getMessage().contains("tubelet size 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelSurprise(model, List.of(8), 2, 1));
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException shortVideo = assertThrows(IllegalArgumentException.class,
                    () -> new ModelSurprise(model, List.of(2), 2, 1).score(video(m, 6, 1)));
            assertTrue(shortVideo.getMessage().contains("shorter than one window"), shortVideo.getMessage());
        }
    }

    @Test
    void randomInitIsTheSameArchitectureWithOtherWeights() {
        try (SurpriseModel r = model.randomInit(5); NDManager m = NDManager.newBaseManager()) {
            assertEquals(model.frames(), r.frames());
            NDArray v = video(m, 8, 4);
            double a = new ModelSurprise(model, List.of(4), 2, 1).score(v).mean();
            double b = new ModelSurprise(r, List.of(4), 2, 1).score(v).mean();
            assertNotEquals(a, b);
            // the random init's target encoder starts as a copy of its context encoder
            NDArray x = v.expandDims(0);
            assertEquals(0f, r.contextEncoder().forward(x).sub(r.targetEncoder().forward(x)).abs().max().getFloat());
        }
    }
}
