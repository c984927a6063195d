package org.jepa4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.metrics.CollapseStats;
import org.jepa4j.train.metrics.MetricsLog;
import org.jepa4j.train.metrics.StepMetrics;
import org.jepa4j.train.precision.DynamicLossScaler;
import org.jepa4j.train.run.Checkpoint;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.run.Checkpointer;
import org.jepa4j.train.step.JepaModel;
import org.jepa4j.train.step.StepResult;
import org.jepa4j.video.source.VideoSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fp16-mixed through the real {@link Trainer} on the CPU (float16 compute, float32 masters, dynamic loss scale):
 * tracks the fp32 run, survives a forced overflow, checkpoints bit-exact float32 masters and resumes under another
 * policy. Models are tiny: float16 kernels on CPUs are slow.
 */
class MixedPrecisionTrainerTest {

    @TempDir
    static Path tmp;
    static VideoSource source;

    @BeforeAll
    static void videos() throws Exception {
        source = TinyConfigs.videos(tmp.resolve("videos"));
    }

    /** Tiny V-JEPA (width 48, 64 tokens) in the given precision. */
    private static TrainConfig config(String dir, String precision, List<String> extra) {
        List<String> o = new ArrayList<>(List.of("model.embed_dim=48", "model.num_heads=2", "model.pred_embed_dim=32",
                "model.pred_num_heads=2", "model.pred_depth=1", "meta.precision=" + precision, "meta.keep_last=5"));
        o.addAll(extra);
        return TinyConfigs.vjepa(tmp.resolve(dir).toString(), o);
    }

    private static TrainingSummary fit(String dir, String precision, List<String> extra) {
        return Trainer.builder().setConfig(config(dir, precision, extra)).optSource(source).build().fit();
    }

    private static double meanLoss(List<StepMetrics> rows, int from, int to) {
        return rows.subList(from, to).stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
    }

    @Test
    void fp16MixedTracksFp32Over200TrainerSteps() throws Exception {
        List<String> run = List.of("optimization.ipe=50", "optimization.epochs=4", "optimization.lr=0.001",
                "optimization.ema=[0.996,1.0]", "logging.collapse_freq=100", "logging.log_freq=50");
        long t0 = System.nanoTime();
        TrainingSummary fp32 = fit("track32", "fp32", run);
        long t1 = System.nanoTime();
        TrainingSummary fp16 = fit("track16", "fp16-mixed", run);
        long t2 = System.nanoTime();
        List<StepMetrics> a = MetricsLog.read(fp32.metricsFile());
        List<StepMetrics> b = MetricsLog.read(fp16.metricsFile());
        assertEquals(200, a.size());
        assertEquals(200, b.size());
        double first32 = meanLoss(a, 0, 10);
        double last32 = meanLoss(a, 170, 200);
        double last16 = meanLoss(b, 170, 200);
        CollapseStats c32 = fp32.lastCollapse();
        CollapseStats c16 = fp16.lastCollapse();
        System.out.printf("fp16-mixed vs fp32 through the trainer, 200 steps: loss %.4f -> %.4f (fp32) / %.4f "
                + "(fp16-mixed, %+.2f%%), RankMe %.2f / %.2f, feature std %.4f / %.4f, overflows %d, time %.1f s / "
                + "%.1f s%n", first32, last32, last16, 100 * (last16 / last32 - 1), c32.rankMe(), c16.rankMe(),
                c32.stdMean(), c16.stdMean(), fp16.overflowSteps(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        assertTrue(last32 < 0.9 * first32, "the fp32 run must learn: " + first32 + " -> " + last32);
        assertEquals(last32, last16, 0.05 * last32, "mean loss of the last 30 steps: fp16-mixed " + last16
                + " vs fp32 " + last32);
        for (StepMetrics m : b) {
            assertTrue(Double.isFinite(m.loss()), "fp16-mixed loss at step " + m.step() + ": " + m.loss());
        }
        assertEquals(0, fp16.skippedSteps(), "no non-finite loss");
        assertTrue(fp16.overflowSteps() <= 5, "only a few overflows expected at scale 2^16: " + fp16.overflowSteps());
        assertEquals(65536.0, b.get(0).lossScale(), "GradScaler's initial scale");
        assertEquals(1.0, a.get(0).lossScale(), "fp32 trains unscaled");
        // same collapse band: the pooled target features keep a comparable spread and effective rank
        assertEquals(c32.rankMe(), c16.rankMe(), 0.25 * c32.rankMe(), "RankMe fp16-mixed vs fp32");
        assertEquals(c32.stdMean(), c16.stdMean(), 0.25 * c32.stdMean(), "feature std fp16-mixed vs fp32");
        // checkpoints hold float32 masters, and the loss scaler
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                Checkpoint cp = new Checkpointer(fp16.runDirectory().resolve("checkpoints"), 5).load(fp16.checkpoint(),
                        m)) {
            for (String g : List.of(CheckpointLayout.ENCODER, CheckpointLayout.PREDICTOR, CheckpointLayout.TARGET_ENCODER)) {
                for (Map.Entry<String, NDArray> e : cp.group(g).entrySet()) {
                    assertEquals(DataType.FLOAT32, e.getValue().getDataType(), g + "." + e.getKey());
                }
            }
            assertEquals(b.get(199).lossScale(), cp.group(CheckpointLayout.LOSS_SCALER).get(DynamicLossScaler.SCALE)
                    .toType(DataType.FLOAT64, false).getDouble(0));
            assertEquals("fp16-mixed", cp.state().extra().get(CheckpointLayout.PRECISION));
        }
    }

    @Test
    void aForcedOverflowIsSkippedHalvesTheScaleAndTrainingContinues() throws Exception {
        double huge = Math.pow(2, 30);
        TrainingSummary s = Trainer.builder().setConfig(config("overflow", "fp16-mixed", List.of(
                "optimization.ipe=15", "optimization.epochs=2"))).optSource(source).optInitialLossScale(huge)
                .build().fit();
        List<StepMetrics> rows = MetricsLog.read(s.metricsFile());
        assertEquals(30, rows.size());
        assertEquals(huge, rows.get(0).lossScale());
        assertEquals(1, rows.get(0).overflowSteps(), "step 1 overflows");
        assertTrue(Double.isNaN(rows.get(0).gradNorm()) || Double.isInfinite(rows.get(0).gradNorm()));
        assertEquals(huge / 2, rows.get(1).lossScale(), "the scale halves after an overflow");
        // the first steps overflow in a row until the scale fits float16, each halving it
        int streak = 0;
        while (streak < rows.size() && !Double.isFinite(rows.get(streak).gradNorm())) {
            streak++;
        }
        assertTrue(streak >= 1 && streak < 15, streak + " overflows in a row at the start");
        for (int i = 0; i < streak; i++) {
            assertEquals(huge / Math.pow(2, i), rows.get(i).lossScale(), "scale at step " + (i + 1));
            assertEquals(i + 1, rows.get(i).overflowSteps(), "overflow count at step " + (i + 1));
        }
        // later on, the scale halves after each overflow and stays put otherwise (growth only every 2000 steps)
        for (int i = 1; i < rows.size(); i++) {
            boolean overflowed = rows.get(i).overflowSteps() > rows.get(i - 1).overflowSteps();
            assertEquals(!overflowed, Double.isFinite(rows.get(i).gradNorm()), "step " + (i + 1));
            double expected = rows.get(i - 1).lossScale() * (Double.isFinite(rows.get(i - 1).gradNorm()) ? 1 : 0.5);
            assertEquals(expected, rows.get(i).lossScale(), "scale at step " + (i + 1));
        }
        long overflows = rows.stream().filter(r -> !Double.isFinite(r.gradNorm())).count();
        assertEquals(overflows, s.overflowSteps());
        assertEquals(overflows, rows.get(29).overflowSteps());
        assertTrue(30 - overflows >= 15, "training continues: " + (30 - overflows) + " of 30 steps applied");
        assertEquals(0, s.skippedSteps(), "overflows are not counted as non-finite losses");
        assertEquals(30, s.steps());
        assertTrue(meanLoss(rows, 25, 30) < meanLoss(rows, 0, 5), "training continues and learns after the overflows");
    }

    /** Loss of every step, by step. */
    private static final class Losses implements TrainingListener {
        final Map<Long, Double> byStep = new TreeMap<>();
        final Map<Long, Double> scale = new TreeMap<>();

        @Override
        public void onStep(StepMetrics m, StepResult r) {
            byStep.put(m.step(), m.loss());
            scale.put(m.step(), r.lossScale());
        }
    }

    private static TrainingSummary fitStoppingAt(String dir, String precision, long stopAt, Losses losses) {
        Trainer[] self = new Trainer[1];
        self[0] = Trainer.builder().setConfig(config(dir, precision, List.of())).optSource(source).addListener(losses)
                .addListener(new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics m, StepResult r) {
                        if (m.step() == stopAt) {
                            self[0].requestStop();
                        }
                    }
                }).build();
        return self[0].fit();
    }

    @Test
    void checkpointsKeepBitExactMastersAndResumeUnderEitherPolicy() throws Exception {
        Losses full = new Losses();
        TrainingSummary a = Trainer.builder().setConfig(config("full16", "fp16-mixed", List.of())).optSource(source)
                .addListener(full).build().fit();
        assertEquals(8, a.steps());

        // fp16-mixed stopped at step 3: the checkpoint holds the float32 masters bit for bit, the model loads them
        Losses first = new Losses();
        TrainingSummary b = fitStoppingAt("resumed16", "fp16-mixed", 3, first);
        assertEquals(3, b.steps());
        copyTree(tmp.resolve("resumed16"), tmp.resolve("switched32"));
        TrainConfig cfg16 = config("unused", "fp16-mixed", List.of());
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                Checkpoint cp = new Checkpointer(b.runDirectory().resolve("checkpoints"), 5).load(b.checkpoint(), m);
                JepaModel model = JepaModel.create(cfg16, Device.cpu(), 99)) {
            assertTrue(model.policy().isMixed() && model.weights().hasSeparateMasters());
            model.load(cp);
            Map<String, Map<String, NDArray>> groups = model.checkpointGroups();
            for (String g : groups.keySet()) {
                for (Map.Entry<String, NDArray> e : groups.get(g).entrySet()) {
                    assertEquals(DataType.FLOAT32, e.getValue().getDataType());
                    assertArrayEquals(cp.group(g).get(e.getKey()).toFloatArray(), e.getValue().toFloatArray(),
                            "master " + g + "." + e.getKey() + " not bit-exact");
                }
            }
            for (Map.Entry<String, NDArray> e : model.weights().compute().entrySet()) {
                assertEquals(DataType.FLOAT16, e.getValue().getDataType(), e.getKey());
                float[] rounded = model.weights().masters().get(e.getKey()).toType(DataType.FLOAT16, false)
                        .toType(DataType.FLOAT32, false).toFloatArray();
                assertArrayEquals(rounded, e.getValue().toType(DataType.FLOAT32, false).toFloatArray(),
                        "compute " + e.getKey() + " is not the rounded master");
            }
        }

        // ... and the resumed fp16-mixed run reproduces the uninterrupted one
        Losses second = new Losses();
        TrainingSummary c = Trainer.builder().setConfig(config("resumed16", "fp16-mixed", List.of())).optSource(source)
                .addListener(second).build().fit();
        assertEquals(3, c.resumedFromStep());
        for (long s = 1; s <= 3; s++) {
            assertEquals(full.byStep.get(s), first.byStep.get(s), 1e-5, "step " + s + " before the stop");
        }
        for (long s = 4; s <= 8; s++) {
            assertEquals(full.byStep.get(s), second.byStep.get(s), 1e-5, "step " + s + " after resume");
            assertEquals(full.scale.get(s), second.scale.get(s), "loss scale restored, step " + s);
        }

        // the same step-3 checkpoint resumes under fp32: same masters, unscaled, close to the fp16-mixed losses
        Losses as32 = new Losses();
        TrainingSummary d = Trainer.builder().setConfig(config("switched32", "fp32", List.of())).optSource(source)
                .addListener(as32).build().fit();
        assertEquals(3, d.resumedFromStep());
        assertEquals(8, d.steps());
        for (long s = 4; s <= 8; s++) {
            assertEquals(1.0, as32.scale.get(s));
            assertEquals(full.byStep.get(s), as32.byStep.get(s), 0.02 * full.byStep.get(s), "fp32 step " + s);
        }

        // an fp32 checkpoint resumes under fp16-mixed with a fresh loss scale (not the fp32 run's 1)
        Losses before32 = new Losses();
        fitStoppingAt("switched16", "fp32", 3, before32);
        Losses as16 = new Losses();
        TrainingSummary e = Trainer.builder().setConfig(config("switched16", "fp16-mixed", List.of()))
                .optSource(source).addListener(as16).build().fit();
        assertEquals(3, e.resumedFromStep());
        assertEquals(65536.0, as16.scale.get(4L));
        for (long s = 4; s <= 8; s++) {
            assertTrue(Double.isFinite(as16.byStep.get(s)));
            assertEquals(full.byStep.get(s), as16.byStep.get(s), 0.02 * full.byStep.get(s), "fp16 step " + s);
        }
        assertFalse(e.stoppedEarly());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }
}
