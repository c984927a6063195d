package org.jepa4j.train.world;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import org.jepa4j.train.bench.WorldModelBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof of learning of the world-model trainer (quick mode of {@link WorldModelBenchmark}): on the disc world, a
 * small predictor trained on a frozen random-init encoder's features beats the copy-the-last-frame baseline on
 * held-out episodes, for teacher forcing and for the rollout. The longer version is
 * {@code WorldModelBenchmark} (also in {@code jepa4j bench}).
 */
class WorldModelLearningTest {

    @Test
    void trainedModelBeatsCopyLastOnHeldOutEpisodes(@TempDir Path dir) throws Exception {
        int steps = Integer.getInteger("jepa4j.world.steps", 300);
        WorldModelBenchmark.writeWorld(dir, 32, 8);
        try (FrameEncoder enc = FrameEncoder.untrained(WorldModelBenchmark.encoderConfig(), 3, Device.cpu())) {
            WorldModelBenchmark.Trained t = WorldModelBenchmark.train(dir, steps, enc);
            WorldModelEvaluation.Result r = t.heldOut();
            System.out.printf("%d steps (%.1f s, cache %.1f s): final training loss %.4f (tf %.4f, rollout %.4f); "
                    + "held-out %s%n", steps, t.summary().trainSeconds(), t.summary().cacheSeconds(),
                    t.summary().finalLoss(), t.summary().finalTeacherForcing(), t.summary().finalRollout(), r);
            assertTrue(r.teacherForcing() < 0.8 * r.copyTeacherForcing(), "teacher forcing " + r);
            assertTrue(r.rollout() < 0.8 * r.copyRollout(), "rollout " + r);
        }
    }
}
