package org.jepa4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.metrics.MetricsLog;
import org.jepa4j.train.metrics.StepMetrics;
import org.jepa4j.train.metrics.TrainingPlots;
import org.jepa4j.train.run.Checkpoint;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.run.Checkpointer;
import org.jepa4j.train.step.StepResult;
import org.jepa4j.video.source.VideoSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    static Path tmp;
    static VideoSource source;

    @BeforeAll
    static void videos() throws Exception {
        source = TinyConfigs.videos(tmp.resolve("videos"));
    }

    private static Trainer.Builder trainer(String dir, List<String> overrides) {
        TrainConfig cfg = TinyConfigs.vjepa(tmp.resolve(dir).toString(), overrides);
        return Trainer.builder().setConfig(cfg).optSource(source);
    }

    /** Records the loss of every step. */
    private static final class Losses implements TrainingListener {
        final Map<Long, Double> byStep = new TreeMap<>();

        @Override
        public void onStep(StepMetrics m, StepResult r) {
            byStep.put(m.step(), m.loss());
        }
    }

    @Test
    void resumeAfterStopReproducesTheUninterruptedRun() throws Exception {
        Losses full = new Losses();
        TrainingSummary a = trainer("full", List.of()).addListener(full).build().fit();
        assertEquals(8, a.steps());
        assertFalse(a.stoppedEarly());
        assertTrue(Files.isRegularFile(a.metricsFile()));
        assertTrue(Files.isRegularFile(a.plotsDirectory().resolve("loss.png")));
        assertEquals(8, MetricsLog.read(a.metricsFile()).size());

        Losses first = new Losses();
        Trainer[] self = new Trainer[1];
        self[0] = trainer("resumed", List.of()).addListener(first).addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m, StepResult r) {
                if (m.step() == 3) {
                    self[0].requestStop();
                }
            }
        }).build();
        TrainingSummary b = self[0].fit();
        assertTrue(b.stoppedEarly());
        assertEquals(3, b.steps());
        assertTrue(b.checkpoint().getFileName().toString().endsWith("000000003"), b.checkpoint().toString());

        Losses second = new Losses();
        TrainingSummary c = trainer("resumed", List.of()).addListener(second).build().fit();
        assertEquals(3, c.resumedFromStep());
        assertEquals(8, c.steps());
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), new ArrayList<>(second.byStep.keySet()));
        for (long s = 1; s <= 3; s++) {
            assertEquals(full.byStep.get(s), first.byStep.get(s), 1e-5, "step " + s + " before the stop");
        }
        for (long s = 4; s <= 8; s++) {
            assertEquals(full.byStep.get(s), second.byStep.get(s), 1e-5, "step " + s + " after resume");
        }
        assertEquals(8, MetricsLog.read(c.metricsFile()).size(), "metrics keep one row per step after resume");
        // the resumed run plots the whole run (its rows before the resume too): as drawn from the metrics file
        Path fromFile = tmp.resolve("plots-from-file");
        TrainingPlots.write(MetricsLog.read(c.metricsFile()), fromFile);
        for (String png : List.of("loss.png", "schedules.png")) {
            assertArrayEquals(Files.readAllBytes(fromFile.resolve(png)),
                    Files.readAllBytes(c.plotsDirectory().resolve(png)), png);
        }
    }

    @Test
    void aTransientNanIsSkippedAndCounted() {
        TrainingSummary s = trainer("nan-once", List.of("optimization.epochs=1", "meta.max_nan_steps=2"))
                .corruptInputAt(step -> step == 2).build().fit();
        assertEquals(4, s.steps());
        assertEquals(1, s.skippedSteps());
        assertTrue(Double.isFinite(s.finalLoss()));
    }

    @Test
    void persistentNanStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint() throws Exception {
        Trainer t = trainer("nan-forever", List.of("meta.checkpoint_every_steps=2", "meta.max_nan_steps=3"))
                .corruptInputAt(step -> step >= 5).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::fit);
        assertEquals(7, e.step());
        assertTrue(e.getMessage().contains("3 steps in a row"), e.getMessage());
        assertNotNull(e.lastCheckpoint());
        assertTrue(e.lastCheckpoint().getFileName().toString().endsWith("000000004"), e.lastCheckpoint().toString());
        Checkpointer cp = new Checkpointer(tmp.resolve("nan-forever").resolve("checkpoints"), 3);
        try (NDManager m = NDManager.newBaseManager(Device.cpu()); Checkpoint c = cp.loadLatest(m).orElseThrow()) {
            assertEquals(4, c.state().step());
            for (NDArray a : c.group(CheckpointLayout.ENCODER).values()) {
                for (float v : a.toFloatArray()) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
    }
}
