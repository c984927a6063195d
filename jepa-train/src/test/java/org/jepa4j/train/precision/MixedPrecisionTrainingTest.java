package org.jepa4j.train.precision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.train.config.Precision;
import org.jepa4j.train.run.Checkpoint;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.run.Checkpointer;
import org.jepa4j.train.run.TrainingState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fp16-mixed training of a tiny V-JEPA-like setup tracks fp32, survives overflow and checkpoints its masters. */
class MixedPrecisionTrainingTest {

    private static final int STEPS = 200;
    private static final double LR = 1e-3;
    private static final double PEAK_LR = 2e-3;
    private static final long[] SEEDS = {11, 12, 13};

    private static int threadsBefore;

    /** Tiny tensors gain nothing from intra-op threads; on a loaded machine one thread is much faster. */
    @BeforeAll
    static void oneThread() {
        Engine.getInstance();
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    /**
     * JEPA with an EMA target is a feedback system: a last-bit difference changes the trajectory (float32 runs
     * themselves differ across JVMs through memory-alignment-dependent matmul kernels), so single runs are compared
     * by statistics: the mean loss of the last 50 of 200 steps, averaged over three seeds.
     */
    @Test
    void fp16MixedTracksFp32Over200Steps() {
        double fp32First = 0;
        double fp32Final = 0;
        double fp16Final = 0;
        for (long seed : SEEDS) {
            try (TinyJepaRun run = new TinyJepaRun(Precision.FP32, false, null, seed)) {
                run.trainCosine(STEPS, PEAK_LR);
                fp32First += run.losses.get(0) / SEEDS.length;
                fp32Final += run.meanLastLosses(50) / SEEDS.length;
                assertFalse(run.weights.hasSeparateMasters(), "fp32: the masters are the parameters");
            }
            try (TinyJepaRun run = new TinyJepaRun(Precision.FP16_MIXED, false, null, seed)) {
                run.trainCosine(STEPS, PEAK_LR);
                for (int i = 0; i < run.losses.size(); i++) {
                    assertTrue(Float.isFinite(run.losses.get(i)), "loss of step " + i + " is " + run.losses.get(i));
                }
                fp16Final += run.meanLastLosses(50) / SEEDS.length;
                assertTrue(run.weights.hasSeparateMasters());
                for (Map.Entry<String, NDArray> e : run.weights.masters().entrySet()) {
                    assertEquals(DataType.FLOAT32, e.getValue().getDataType(), "master " + e.getKey());
                    assertEquals(DataType.FLOAT16, run.weights.compute().get(e.getKey()).getDataType(), e.getKey());
                }
                assertComputeIsRoundedMasters(run.weights);
                long applied = run.results.stream().filter(MixedPrecisionOptimizer.Update::applied).count();
                assertEquals(STEPS - run.optimizer.scaler().skippedSteps(), applied);
                assertTrue(applied >= STEPS - 10, "only the first steps may overflow: " + applied + " applied");
                assertEquals(applied, run.optimizer.optimizer().stepCount(), "AdamW steps only when applied");
            }
        }
        assertTrue(fp32Final < 0.95 * fp32First, "the fp32 runs must learn: " + fp32First + " -> " + fp32Final);
        assertEquals(fp32Final, fp16Final, 0.05 * fp32Final,
                "final loss (mean of the last 50 steps over 3 seeds) fp16-mixed " + fp16Final + " vs fp32 " + fp32Final);
    }

    @Test
    void forcedOverflowIsSkippedHalvesTheScaleAndTrainingContinues() {
        double huge = Math.pow(2, 40); // loss * 2^40 overflows float16 gradients
        DynamicLossScaler scaler = DynamicLossScaler.builder().optInitScale(huge).build();
        try (TinyJepaRun run = new TinyJepaRun(Precision.FP16_MIXED, true, scaler, 5)) {
            Map<String, float[]> before = snapshot(run.weights.masters());
            run.train(1, LR);
            MixedPrecisionOptimizer.Update first = run.results.get(0);
            assertFalse(first.applied(), "the overflowing step must be skipped");
            assertFalse(Double.isFinite(first.gradNorm()));
            assertEquals(huge, first.lossScale());
            assertEquals(huge / 2, scaler.scale(), "the scale halves");
            assertEquals(1, scaler.skippedSteps());
            assertEquals(0, run.optimizer.optimizer().stepCount());
            Map<String, float[]> after = snapshot(run.weights.masters());
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name), after.get(name), "skipped step changed master " + name);
            }
            run.train(60, LR);
            long applied = run.results.stream().filter(MixedPrecisionOptimizer.Update::applied).count();
            assertTrue(applied >= 20, "training continues after the scale backed off: " + applied + " applied");
            assertTrue(scaler.scale() <= Math.pow(2, 24), "scale " + scaler.scale());
            assertEquals(61 - applied, scaler.skippedSteps());
            for (float l : run.losses) {
                assertTrue(Float.isFinite(l));
            }
            int lastSkip = 0;
            for (int i = 0; i < run.results.size(); i++) {
                if (!run.results.get(i).applied()) {
                    lastSkip = i;
                }
            }
            assertTrue(lastSkip < 40, "skips stop once the scale fits (last skip at step " + lastSkip + ")");
            assertNotEquals(before.get("encoder.blocks.0.attn.qkv.weight")[0],
                    snapshot(run.weights.masters()).get("encoder.blocks.0.attn.qkv.weight")[0]);
            assertTrue(run.target.dataType() == DataType.FLOAT16 && run.targetWeights.hasSeparateMasters());
        }
    }

    @Test
    void mastersSurviveACheckpointBitExactAndSwitchPolicy(@TempDir Path dir) throws Exception {
        Checkpointer checkpointer = new Checkpointer(dir, 2);
        Map<String, float[]> saved;
        DynamicLossScaler.State scalerState;
        long adamSteps;
        try (TinyJepaRun run = new TinyJepaRun(Precision.FP16_MIXED, false, null, 3)) {
            run.train(5, LR);
            saved = snapshot(run.weights.masters());
            scalerState = run.optimizer.scaler().state();
            adamSteps = run.optimizer.optimizer().stepCount();
            Map<String, Map<String, NDArray>> groups = new LinkedHashMap<>();
            groups.put(CheckpointLayout.ENCODER, run.weights.masters("encoder."));
            groups.put(CheckpointLayout.PREDICTOR, run.weights.masters("predictor."));
            groups.put(CheckpointLayout.TARGET_ENCODER, run.targetWeights.masters());
            groups.put(CheckpointLayout.OPTIMIZER, run.optimizer.optimizer().exportState());
            groups.put("loss_scaler", run.optimizer.scaler().exportState(run.manager));
            checkpointer.save(new TrainingState(5, 0, 5, null, null, 0, 0, scalerState.scale(), null), groups);
        }
        try (TinyJepaRun resumed = new TinyJepaRun(Precision.FP16_MIXED, false, null, 99);
                NDManager m = NDManager.newBaseManager();
                Checkpoint c = checkpointer.loadLatest(m).orElseThrow()) {
            resumed.weights.load(masters(c));
            resumed.optimizer.optimizer().loadState(c.group(CheckpointLayout.OPTIMIZER));
            resumed.optimizer.scaler().loadState(c.group("loss_scaler"));
            Map<String, float[]> restored = snapshot(resumed.weights.masters());
            for (String name : saved.keySet()) {
                assertArrayEquals(saved.get(name), restored.get(name), "master " + name + " not bit-exact");
            }
            assertComputeIsRoundedMasters(resumed.weights);
            assertEquals(scalerState, resumed.optimizer.scaler().state());
            assertEquals(adamSteps, resumed.optimizer.optimizer().stepCount());
            resumed.train(3, LR);
            assertTrue(resumed.losses.stream().allMatch(Float::isFinite));
        }
        // the same checkpoint resumes a float32 run: its parameters become the masters, bit for bit
        try (TinyJepaRun fp32 = new TinyJepaRun(Precision.FP32, false, null, 99);
                NDManager m = NDManager.newBaseManager();
                Checkpoint c = checkpointer.loadLatest(m).orElseThrow()) {
            fp32.weights.load(masters(c));
            fp32.optimizer.optimizer().loadState(c.group(CheckpointLayout.OPTIMIZER));
            Map<String, float[]> params = snapshot(fp32.encoderAndPredictorParameters());
            for (String name : saved.keySet()) {
                assertArrayEquals(saved.get(name), params.get(name), "fp32 parameter " + name);
            }
            fp32.train(2, LR);
            assertTrue(fp32.losses.stream().allMatch(Float::isFinite));
        }
    }

    private static void assertComputeIsRoundedMasters(MasterWeights w) {
        for (Map.Entry<String, NDArray> e : w.masters().entrySet()) {
            float[] rounded = e.getValue().toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false)
                    .toFloatArray();
            float[] compute = w.compute().get(e.getKey()).toType(DataType.FLOAT32, false).toFloatArray();
            assertArrayEquals(rounded, compute, "compute " + e.getKey() + " is not the rounded master");
        }
    }

    private static Map<String, float[]> snapshot(Map<String, NDArray> arrays) {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.toType(DataType.FLOAT32, false).toFloatArray()));
        return out;
    }

    /** The checkpoint's encoder and predictor weights under the model's names ({@code encoder.}/{@code predictor.}). */
    private static Map<String, NDArray> masters(Checkpoint c) {
        Map<String, NDArray> masters = new LinkedHashMap<>();
        c.group(CheckpointLayout.ENCODER).forEach((k, v) -> masters.put("encoder." + k, v));
        c.group(CheckpointLayout.PREDICTOR).forEach((k, v) -> masters.put("predictor." + k, v));
        return masters;
    }
}
