package org.jepa4j.train.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.model.TokenGrid;
import org.jepa4j.train.TinyConfigs;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.video.mask.MaskSet;
import org.jepa4j.video.mask.MultiBlock3dConfig;
import org.jepa4j.video.mask.MultiBlock3dMaskGenerator;
import org.junit.jupiter.api.Test;

class JepaStepTest {

    private static final TrainConfig CFG = TinyConfigs.vjepa("unused", List.of());

    private static List<MicroBatch> batches(NDManager m, int count, int rows, long seed) {
        MultiBlock3dMaskGenerator gen = new MultiBlock3dMaskGenerator(MultiBlock3dConfig.vjepa(TokenGrid.video(8, 2, 32, 8)));
        Random rng = new Random(seed);
        List<MicroBatch> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            NDArray x = m.randomNormal(new Shape(rows, 3, 8, 32, 32));
            List<MaskSet> masks = gen.sample(rows, rng);
            out.add(new MicroBatch(x, masks));
        }
        return out;
    }

    private static float[][] snapshot(JepaModel model) {
        List<float[]> out = new ArrayList<>();
        for (Map<String, NDArray> g : model.checkpointGroups().values()) {
            for (NDArray a : g.values()) {
                out.add(a.toFloatArray());
            }
        }
        return out.toArray(new float[0][]);
    }

    private static double maxDiff(float[][] a, float[][] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return d;
    }

    @Test
    void twoReplicasOnTheCpuGiveTheSingleDeviceUpdate() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                JepaModel single = JepaModel.create(CFG, Device.cpu(), 7);
                JepaModel parallel = JepaModel.create(CFG, Device.cpu(), 7)) {
            List<MicroBatch> data = batches(m, 2, 6, 11);
            try (JepaStep a = JepaStep.builder().setModel(single).optOptimization(CFG.optimization()).build();
                    JepaStep b = JepaStep.builder().setModel(parallel).optOptimization(CFG.optimization())
                            .optDevices(List.of(Device.cpu(), Device.cpu())).build()) {
                assertEquals(2, b.replicas().size());
                for (int step = 0; step < 3; step++) {
                    // micro-batch 'step % 2' alone, then both as gradient accumulation on the last step
                    List<MicroBatch> in = step < 2 ? List.of(data.get(step)) : data;
                    StepResult ra = a.step(in, 1e-3, 0.04, 0.99, true);
                    StepResult rb = b.step(in, 1e-3, 0.04, 0.99, true);
                    assertFalse(ra.skipped());
                    assertEquals(ra.loss(), rb.loss(), 1e-5, "loss at step " + step);
                    for (int i = 0; i < ra.lossPerMaskSet().size(); i++) {
                        assertEquals(ra.lossPerMaskSet().get(i), rb.lossPerMaskSet().get(i), 1e-5);
                    }
                    assertEquals(ra.gradNorm(), rb.gradNorm(), 1e-5 * Math.max(1, ra.gradNorm()));
                    // AdamW divides by sqrt(v): where a gradient is near zero, float rounding of the two gradient
                    // sums (one pass vs two replicas averaged) moves the update by up to a fraction of lr (1e-3);
                    // runs have measured up to 4.4e-5. A wrong split or a lost micro-batch moves it by about lr.
                    double diff = maxDiff(snapshot(single), snapshot(parallel));
                    assertTrue(diff < 2e-4, "parameters differ by " + diff + " after step " + step);
                    double replicaDiff = maxDiff(snapshot(parallel), snapshot(b.replicas().get(1)));
                    assertEquals(0.0, replicaDiff, "replica not in sync after the broadcast");
                }
            }
        }
    }

    @Test
    void fp16MixedReplicasTrainLikeOneDeviceWithFloat32MastersAndAFloat16Target() {
        TrainConfig cfg16 = TinyConfigs.vjepa("unused", List.of("meta.precision=fp16-mixed", "meta.fp16_target=true"));
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                JepaModel single = JepaModel.create(cfg16, Device.cpu(), 7);
                JepaModel parallel = JepaModel.create(cfg16, Device.cpu(), 7);
                JepaModel fp32 = JepaModel.create(CFG, Device.cpu(), 7)) {
            assertEquals(0.0, maxDiff(snapshot(single), snapshot(fp32)), "fp16-mixed masters start as the fp32 weights");
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, single.targetEncoder().dataType());
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, single.encoder().dataType());
            List<MicroBatch> data = batches(m, 2, 6, 11);
            try (JepaStep a = JepaStep.builder().setModel(single).optOptimization(cfg16.optimization()).build();
                    JepaStep b = JepaStep.builder().setModel(parallel).optOptimization(cfg16.optimization())
                            .optDevices(List.of(Device.cpu(), Device.cpu())).build()) {
                for (int step = 0; step < 2; step++) {
                    StepResult ra = a.step(List.of(data.get(step)), 1e-3, 0.04, 0.99, true);
                    StepResult rb = b.step(List.of(data.get(step)), 1e-3, 0.04, 0.99, true);
                    assertFalse(ra.skipped() || rb.skipped(), ra + " / " + rb);
                    assertEquals(65536.0, ra.lossScale());
                    // float16 sums of half-batch gradients round differently from one full-batch gradient
                    assertEquals(ra.loss(), rb.loss(), 1e-3 * ra.loss(), "loss at step " + step);
                    assertEquals(ra.gradNorm(), rb.gradNorm(), 2e-2 * ra.gradNorm(), "grad norm at step " + step);
                    double diff = maxDiff(snapshot(single), snapshot(parallel));
                    assertTrue(diff < 5e-3, "masters differ by " + diff + " after step " + step);
                    Map<String, NDArray> c0 = parallel.trainableParameters();
                    Map<String, NDArray> c1 = b.replicas().get(1).trainableParameters();
                    for (String name : c0.keySet()) {
                        assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, c1.get(name).getDataType());
                        assertTrue(c0.get(name).contentEquals(c1.get(name)), "replica compute " + name);
                    }
                }
                NDManager system = m.getParentManager(); // the root: its arrays are every live array of the JVM
                int live = system.getManagedArrays().size();
                for (int i = 0; i < 5; i++) {
                    a.step(List.of(data.get(i % 2)), 1e-3, 0.04, 0.99, true);
                    b.step(List.of(data.get(i % 2)), 1e-3, 0.04, 0.99, true);
                }
                assertEquals(live, system.getManagedArrays().size(), "live NDArrays grew over 5 fp16-mixed steps");
            }
            for (Map<String, NDArray> g : single.checkpointGroups().values()) {
                for (NDArray a : g.values()) {
                    assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, a.getDataType());
                }
            }
        }
    }

    @Test
    void accumulatingTwoHalvesEqualsOneFullBatch() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                JepaModel full = JepaModel.create(CFG, Device.cpu(), 3);
                JepaModel accum = JepaModel.create(CFG, Device.cpu(), 3)) {
            MicroBatch whole = batches(m, 1, 6, 5).get(0);
            List<MicroBatch> halves = new ArrayList<>();
            for (int h = 0; h < 2; h++) {
                List<MaskSet> masks = new ArrayList<>();
                for (MaskSet s : whole.masks()) {
                    masks.add(new MaskSet(java.util.Arrays.copyOfRange(s.context(), 3 * h, 3 * h + 3),
                            java.util.Arrays.copyOfRange(s.target(), 3 * h, 3 * h + 3)));
                }
                halves.add(new MicroBatch(whole.video().get(h * 3 + ":" + (h * 3 + 3)), masks));
            }
            try (JepaStep a = JepaStep.builder().setModel(full).build();
                    JepaStep b = JepaStep.builder().setModel(accum).build()) {
                StepResult ra = a.step(List.of(whole), 1e-3, 0.04, 0.99, false);
                StepResult rb = b.step(halves, 1e-3, 0.04, 0.99, false);
                assertEquals(ra.loss(), rb.loss(), 1e-5);
                assertTrue(maxDiff(snapshot(full), snapshot(accum)) < 1e-5);
            }
        }
    }

    @Test
    void stepTrainsEncoderAndPredictorMovesTargetByEmaAndKeepsLiveArraysFlat() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                JepaModel model = JepaModel.create(CFG, Device.cpu(), 1);
                JepaStep step = JepaStep.builder().setModel(model).optClipGrad(0.1).build()) {
            List<MicroBatch> data = batches(m, 1, 4, 2);
            float[] enc0 = model.encoder().parameters().get("blocks.0.attn.qkv.weight").toFloatArray();
            float[] tgt0 = model.targetEncoder().parameters().get("blocks.0.attn.qkv.weight").toFloatArray();
            assertEquals(0.0, maxDiff(new float[][] {enc0}, new float[][] {tgt0}), "target must start as a copy");
            StepResult r = step.step(data, 1e-3, 0.04, 0.5, true);
            assertTrue(r.clipped(), "grad norm " + r.gradNorm() + " should exceed 0.1");
            float[] enc1 = model.encoder().parameters().get("blocks.0.attn.qkv.weight").toFloatArray();
            float[] tgt1 = model.targetEncoder().parameters().get("blocks.0.attn.qkv.weight").toFloatArray();
            assertNotEquals(enc0[0], enc1[0]);
            for (int i = 0; i < tgt1.length; i += 97) {
                assertEquals(0.5 * tgt0[i] + 0.5 * enc1[i], tgt1[i], 1e-6, "EMA at " + i);
            }
            int live = model.manager().getManagedArrays().size() + m.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                step.step(data, 1e-3, 0.04, 0.99, true);
            }
            assertEquals(live, model.manager().getManagedArrays().size() + m.getManagedArrays().size(),
                    "live NDArrays grew over 20 steps");
        }
    }
}
