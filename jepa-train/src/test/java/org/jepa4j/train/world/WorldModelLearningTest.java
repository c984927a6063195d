package org.jepa4j.train.world;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.video.synthetic.DiscWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof of learning of the world-model trainer: on the {@link DiscWorld} (a disc moved by 2-D actions), a small
 * predictor trained on a frozen random-init tiny V-JEPA 2-style encoder's features beats the copy-the-last-frame
 * baseline on held-out episodes, for teacher forcing and for the rollout. The longer version (more steps, and the
 * feature-cache timing) is {@code org.jepa4j.examples.bench.WorldModelBenchmark} ({@code jepa4j bench --only world}).
 */
class WorldModelLearningTest {

    /** The frozen encoder: 64 px, patch 16 (4 x 4 tokens), width 64, 2 blocks, 3D RoPE, random weights. */
    static final VitConfig ENCODER = VitConfig.builder().setWidth(64).setDepth(2).setNumHeads(4).optFrames(2)
            .optTubeletSize(2).optImageSize(64).optPatchSize(16).optPositionKind(PositionKind.ROPE_3D).build();

    @Test
    void trainedModelBeatsCopyLastOnHeldOutEpisodes(@TempDir Path dir) throws Exception {
        int steps = Integer.getInteger("jepa4j.world.steps", 300);
        DiscWorld.write(dir.resolve("train"), new DiscWorld.Spec(32, 16, 64, 9, 8, 1));
        DiscWorld.write(dir.resolve("held_out"), new DiscWorld.Spec(8, 16, 64, 9, 8, 2));
        WorldTrainConfig cfg = WorldTrainConfig.defaultConfig().withOverrides(List.of("data.clip_frames=4",
                "data.batch_size=8", "model.predictor_embed_dim=128", "model.depth=2", "model.num_heads=4",
                "model.num_frames=16", "optimization.epochs=1", "optimization.ipe=" + steps, "optimization.lr=2e-3",
                "optimization.start_lr=2e-4", "optimization.final_lr=1e-5", "optimization.warmup=0.1",
                "optimization.anneal=0.3", "meta.device=cpu", "meta.encode_batch=64", "meta.feature_cache=run",
                "logging.progress_bar=false", "logging.log_freq=100000", "logging.plot_freq=0"));
        try (FrameEncoder enc = FrameEncoder.untrained(ENCODER, 3, Device.cpu())) {
            WorldModelTrainer.Summary s = WorldModelTrainer.builder().setData(dir.resolve("train"))
                    .setFrameEncoder(enc).setRunDirectory(dir.resolve("run")).optConfig(cfg).build().fit();
            WorldModelEvaluation.Result r;
            try (WorldModel wm = WorldModel.withEncoder(dir.resolve("run"), enc)) {
                r = WorldModelEvaluation.evaluate(wm, dir.resolve("held_out"), 64);
            }
            System.out.printf("%d steps (%.1f s, cache %.1f s): final training loss %.4f (tf %.4f, rollout %.4f); "
                    + "held-out %s%n", steps, s.trainSeconds(), s.cacheSeconds(), s.finalLoss(),
                    s.finalTeacherForcing(), s.finalRollout(), r);
            assertTrue(r.teacherForcing() < 0.8 * r.copyTeacherForcing(), "teacher forcing " + r);
            assertTrue(r.rollout() < 0.8 * r.copyRollout(), "rollout " + r);
        }
    }
}
