package org.jepa4j.train.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jepa4j.train.metrics.MetricsLog;
import org.jepa4j.train.metrics.StepMetrics;
import org.jepa4j.video.synthetic.DiscWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The world-model trainer's run directory: both losses logged, plots, checkpoints, and an exact resume. */
class WorldModelTrainerTest {

    private static WorldTrainConfig config(int steps) {
        return WorldTrainConfig.defaultConfig().withOverrides(List.of("data.clip_frames=3", "data.batch_size=2",
                "model.predictor_embed_dim=24", "model.depth=1", "model.num_heads=2", "model.num_frames=8",
                "optimization.epochs=2", "optimization.ipe=" + steps, "optimization.lr=1e-3", "meta.device=cpu",
                "meta.feature_cache=run", "logging.progress_bar=false"));
    }

    private static Map<String, float[]> weights(Path run, FrameEncoder enc) throws Exception {
        try (WorldModel wm = WorldModel.withEncoder(run, enc)) {
            Map<String, float[]> out = new java.util.TreeMap<>();
            for (Map.Entry<String, NDArray> e : wm.predictor().parameters().entrySet()) {
                out.put(e.getKey(), e.getValue().toFloatArray());
            }
            return out;
        }
    }

    @Test
    void writesTheRunAndResumesExactly(@TempDir Path dir) throws Exception {
        DiscWorld.write(dir.resolve("episodes"), new DiscWorld.Spec(3, 6, 32, 5, 4, 9));
        try (FrameEncoder enc = FrameEncoder.untrained(WorldModelLearningTest.ENCODER.toBuilder().optImageSize(32)
                .build(), 2, Device.cpu())) {
            WorldModelTrainer.Summary full = WorldModelTrainer.builder().setData(dir.resolve("episodes"))
                    .setFrameEncoder(enc).setRunDirectory(dir.resolve("full")).optConfig(config(3)).build().fit();
            assertEquals(6, full.steps());
            List<StepMetrics> rows = MetricsLog.read(dir.resolve("full/metrics.csv"));
            assertEquals(6, rows.size());
            for (StepMetrics m : rows) {
                assertEquals(m.loss(), m.lossPerMaskSet().get(0) + m.lossPerMaskSet().get(1), 1e-5);
                assertTrue(m.lossPerMaskSet().get(1) > 0 && m.gradNorm() > 0, m.toString());
            }
            assertTrue(Files.isRegularFile(dir.resolve("full/plots/loss.png")));
            assertTrue(Files.isRegularFile(dir.resolve("full/predictor.json")));

            // the first epoch, stopped as Ctrl-C would, then the same command again
            java.util.concurrent.atomic.AtomicReference<WorldModelTrainer> self =
                    new java.util.concurrent.atomic.AtomicReference<>();
            WorldModelTrainer stopping = WorldModelTrainer.builder().setData(dir.resolve("episodes"))
                    .setFrameEncoder(enc).setRunDirectory(dir.resolve("split")).optConfig(config(3))
                    .optListener(m -> {
                        if (m.step() == 3) {
                            self.get().requestStop();
                        }
                    }).build();
            self.set(stopping);
            WorldModelTrainer.Summary part = stopping.fit();
            assertEquals(3, part.steps());
            WorldModelTrainer.Summary rest = WorldModelTrainer.builder().setData(dir.resolve("episodes"))
                    .setFrameEncoder(enc).setRunDirectory(dir.resolve("split")).optConfig(config(3)).build().fit();
            assertEquals(3, rest.resumedFrom());
            assertEquals(6, rest.steps());
            assertEquals(full.finalLoss(), rest.finalLoss(), 0.0);
            Map<String, float[]> a = weights(dir.resolve("full"), enc);
            Map<String, float[]> b = weights(dir.resolve("split"), enc);
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) {
                assertArrayEquals(a.get(k), b.get(k), 0f, k);
            }
            assertEquals(6, MetricsLog.read(dir.resolve("split/metrics.csv")).size());
        }
    }
}
