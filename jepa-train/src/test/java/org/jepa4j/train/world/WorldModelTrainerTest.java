package org.jepa4j.train.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jepa4j.train.TrainingDivergedException;
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

    /** Writes three DiscWorld episodes to dir/episodes and returns an untrained tiny encoder for 32-pixel frames. */
    private static FrameEncoder episodesAndEncoder(Path dir) throws java.io.IOException {
        DiscWorld.write(dir.resolve("episodes"), new DiscWorld.Spec(3, 6, 32, 5, 4, 9));
        return FrameEncoder.untrained(WorldModelLearningTest.ENCODER.toBuilder().optImageSize(32).build(), 2,
                Device.cpu());
    }

    /** A trainer of dir/episodes into dir/run. */
    private static WorldModelTrainer.Builder trainer(Path dir, FrameEncoder enc, String run) {
        return WorldModelTrainer.builder().setData(dir.resolve("episodes")).setFrameEncoder(enc)
                .setRunDirectory(dir.resolve(run));
    }

    @Test
    void writesTheRunAndResumesExactly(@TempDir Path dir) throws Exception {
        try (FrameEncoder enc = episodesAndEncoder(dir)) {
            WorldModelTrainer.Summary full = trainer(dir, enc, "full").optConfig(config(3)).build().fit();
            assertEquals(6, full.steps());
            List<StepMetrics> rows = MetricsLog.read(dir.resolve("full/metrics.csv"));
            assertEquals(6, rows.size());
            String header = Files.readAllLines(dir.resolve("full/metrics.csv")).get(0);
            assertTrue(header.startsWith("step,epoch,loss,loss_teacher_forcing,loss_rollout,lr,"), header);
            for (StepMetrics m : rows) {
                assertEquals(m.loss(), m.lossPerMaskSet().get(0) + m.lossPerMaskSet().get(1), 1e-5);
                assertTrue(m.lossPerMaskSet().get(1) > 0 && m.gradNorm() > 0, m.toString());
            }
            assertTrue(Files.isRegularFile(dir.resolve("full/plots/loss.png")));
            assertTrue(Files.isRegularFile(dir.resolve("full/predictor.json")));

            // the first epoch, stopped as Ctrl-C would, then the same command again
            java.util.concurrent.atomic.AtomicReference<WorldModelTrainer> self =
                    new java.util.concurrent.atomic.AtomicReference<>();
            WorldModelTrainer stopping = trainer(dir, enc, "split").optConfig(config(3))
                    .optListener(m -> {
                        if (m.step() == 3) {
                            self.get().requestStop();
                        }
                    }).build();
            self.set(stopping);
            WorldModelTrainer.Summary part = stopping.fit();
            assertEquals(3, part.steps());
            WorldModelTrainer.Summary rest = trainer(dir, enc, "split").optConfig(config(3)).build().fit();
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

    @Test
    void withoutStatesThePredictorNeverSeesThem(@TempDir Path dir) throws Exception {
        try (FrameEncoder enc = episodesAndEncoder(dir)) {
            WorldTrainConfig noStates = config(2).with("data.use_states", false);
            trainer(dir, enc, "nostates").optConfig(noStates).build().fit();
            try (WorldModel wm = WorldModel.withEncoder(dir.resolve("nostates"), enc);
                    ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                assertEquals(false, wm.config().useStates(), "recorded in the run's config.yaml");
                int hw = wm.tokensPerFrame();
                NDArray tokens = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 2L * hw,
                        wm.predictor().config().embedDim()));
                NDArray actions = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 2, wm.actionDim()));
                NDArray a = wm.predict(tokens, actions, m.zeros(actions.getShape()));
                NDArray b = wm.predict(tokens, actions, m.ones(actions.getShape()).mul(5));
                assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f, "states are replaced by zeros");
            }
        }
    }

    @Test
    void theResidualOptionIsOffByDefaultAndReachesThePlanningModel(@TempDir Path dir) throws Exception {
        assertEquals(false, WorldTrainConfig.defaultConfig().predictorConfig(32, 8, 48, 2).residual());
        try (FrameEncoder enc = episodesAndEncoder(dir)) {
            trainer(dir, enc, "plain").optConfig(config(1)).build().fit();
            trainer(dir, enc, "delta").optConfig(config(1).with("model.residual", "true")).build().fit();
            try (WorldModel plain = WorldModel.withEncoder(dir.resolve("plain"), enc);
                    WorldModel delta = WorldModel.withEncoder(dir.resolve("delta"), enc)) {
                assertEquals(false, plain.predictor().config().residual());
                assertEquals(true, delta.predictor().config().residual(), "read back from the run");
                assertTrue(Files.readString(dir.resolve("delta/config.yaml")).contains("residual: true"));
            }
        }
    }

    @Test
    void aTransientNanIsSkippedAndAPersistentOneStopsNamingTheStep(@TempDir Path dir) throws Exception {
        try (FrameEncoder enc = episodesAndEncoder(dir)) {
            WorldModelTrainer.Summary once = trainer(dir, enc, "once")
                    .optConfig(config(2).withOverrides(List.of("meta.max_nan_steps=2")))
                    .corruptInputAt(step -> step == 2).build().fit();
            assertEquals(4, once.steps());
            assertEquals(1, once.nanSteps());
            assertTrue(Double.isFinite(once.finalLoss()));
            List<StepMetrics> rows = MetricsLog.read(dir.resolve("once/metrics.csv"));
            assertTrue(Double.isNaN(rows.get(1).loss()) && Double.isFinite(rows.get(2).loss()), rows.toString());

            WorldModelTrainer forever = trainer(dir, enc, "forever")
                    .optConfig(config(4).withOverrides(List.of("meta.max_nan_steps=3",
                            "meta.checkpoint_every_steps=2")))
                    .corruptInputAt(step -> step >= 3).build();
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, forever::fit);
            assertEquals(5, e.step());
            assertTrue(e.getMessage().contains("3 steps in a row") && e.getMessage().contains("step 5"),
                    e.getMessage());
            assertNotNull(e.lastCheckpoint());
            assertTrue(e.lastCheckpoint().getFileName().toString().endsWith("000000002"),
                    e.lastCheckpoint().toString());
            Map<String, float[]> kept = weights(dir.resolve("forever"), enc);
            for (Map.Entry<String, float[]> w : kept.entrySet()) {
                for (float v : w.getValue()) {
                    assertTrue(Float.isFinite(v), w.getKey());
                }
            }
        }
    }

    @Test
    void theFeatureCacheBarShowsEpisodesEncodedAndFramesPerSecond() {
        assertEquals(String.format("%d encoded, %d cached | %.1f frames/s", 3, 2, 60.0),
                WorldModelTrainer.cacheProgress(3, 2, 120, 2_000_000_000L));
        assertEquals(String.format("%d encoded, %d cached | %.1f frames/s", 0, 5, 0.0),
                WorldModelTrainer.cacheProgress(0, 5, 0, 0));
    }
}
