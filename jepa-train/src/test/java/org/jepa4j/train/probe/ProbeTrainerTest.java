package org.jepa4j.train.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.model.AttentiveClassifier;
import org.jepa4j.train.features.FeatureSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes on synthetic frozen features: Gaussian class clusters in token space, and the same with random labels. */
class ProbeTrainerTest {

    static final int CLASSES = 4;
    static final int SAMPLES = 240;
    static final int CLIPS = 2;
    static final int N = 8;
    static final int D = 32;

    @TempDir
    Path dir;

    /**
     * Each sample has CLIPS clips; every token is its class mean (scaled by {@code signal}) plus unit Gaussian
     * noise, so classes are separable from the tokens and from their mean.
     */
    static FeatureSet clusters(double signal, long seed) {
        Random r = new Random(seed);
        float[][] means = new float[CLASSES][D];
        for (float[] m : means) {
            for (int k = 0; k < D; k++) {
                m[k] = (float) (r.nextGaussian() * signal);
            }
        }
        int rows = SAMPLES * CLIPS;
        float[][] tokens = new float[rows][N * D];
        int[] labels = new int[rows];
        int[] samples = new int[rows];
        for (int s = 0; s < SAMPLES; s++) {
            int c = s % CLASSES;
            for (int clip = 0; clip < CLIPS; clip++) {
                int row = s * CLIPS + clip;
                labels[row] = c;
                samples[row] = s;
                for (int t = 0; t < N; t++) {
                    for (int k = 0; k < D; k++) {
                        tokens[row][t * D + k] = means[c][k] + (float) r.nextGaussian();
                    }
                }
            }
        }
        return FeatureSet.of(tokens, null, N, D, labels, samples, List.of("a", "b", "c", "d"));
    }

    /** The same features with each sample's label drawn at random (clips of a sample keep one label). */
    static FeatureSet randomLabels(FeatureSet data, long seed) {
        Random r = new Random(seed);
        int[] perSample = new int[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            perSample[s] = r.nextInt(CLASSES);
        }
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = perSample[data.sample(i)];
        }
        return data.withLabels(labels, data.labelNames());
    }

    static ProbeConfig linear() {
        return ProbeConfig.builder(ProbeKind.LINEAR).optEpochs(15).optBatchSize(32).optLr(1e-2).optSeed(3).build();
    }

    static ProbeConfig attentive() {
        return ProbeConfig.builder(ProbeKind.ATTENTIVE).optEpochs(6).optBatchSize(32).optLr(2e-3)
                .optSelfAttentionBlocks(1).optNumHeads(2).optSeed(3).build();
    }

    @Test
    void linearProbeSeparatesClusters() {
        ProbeResult res = ProbeTrainer.train(clusters(0.5, 1), linear());
        assertTrue(res.heldOutTop1() > 0.9, res.toString());
        assertTrue(res.heldOutClipTop1() > 0.9, res.toString());
        assertEquals(48, res.heldOutSamples());
        assertEquals(192, res.trainSamples());
        double[] losses = res.epochLosses();
        assertTrue(losses[losses.length - 1] < 0.5 * losses[0], "loss did not fall: " + java.util.Arrays.toString(losses));
    }

    @Test
    void attentiveProbeSeparatesClusters() {
        ProbeResult res = ProbeTrainer.train(clusters(0.5, 1), attentive());
        assertTrue(res.heldOutTop1() > 0.9, res.toString());
        assertTrue(res.heldOutTop1() > res.chance() + 0.5);
    }

    @Test
    void randomLabelsStayNearChanceOnHeldOutData() {
        FeatureSet shuffled = randomLabels(clusters(0.5, 1), 99);
        for (ProbeConfig cfg : List.of(linear(), attentive())) {
            ProbeResult res = ProbeTrainer.train(shuffled, cfg);
            // 48 held-out samples at chance 0.25: standard deviation 0.0625
            assertTrue(res.heldOutTop1() < 0.42, cfg.kind() + " learned random labels: " + res);
        }
    }

    @Test
    void splitIsSeededStratifiedAndKeepsSamplesTogether() {
        FeatureSet data = clusters(0.5, 1);
        HeldOutSplit a = HeldOutSplit.bySample(data, 0.25, 7);
        assertEquals(a, HeldOutSplit.bySample(data, 0.25, 7));
        assertTrue(!a.equals(HeldOutSplit.bySample(data, 0.25, 8)), "another seed gives another split");
        Set<Integer> trainSamples = new HashSet<>();
        for (int r : a.trainRows()) {
            trainSamples.add(data.sample(r));
        }
        int[] perClass = new int[CLASSES];
        Set<Integer> held = new HashSet<>();
        for (int r : a.heldOutRows()) {
            assertTrue(!trainSamples.contains(data.sample(r)), "sample " + data.sample(r) + " on both sides");
            if (held.add(data.sample(r))) {
                perClass[data.label(r)]++;
            }
        }
        assertArrayEquals(new int[] {15, 15, 15, 15}, perClass);
        assertEquals(data.size(), a.trainRows().length + a.heldOutRows().length);
    }

    @Test
    void savesParametersUnderReferenceNames() throws Exception {
        FeatureSet data = clusters(0.5, 1);
        ProbeConfig cfg = ProbeConfig.builder(ProbeKind.ATTENTIVE).optEpochs(1).optSelfAttentionBlocks(1)
                .optNumHeads(2).build();
        ProbeResult res = ProbeTrainer.train(data, cfg);
        Path file = dir.resolve("probe.safetensors");
        res.save(file);
        try (NDManager m = NDManager.newBaseManager(); SafeTensorsReader r = SafeTensors.open(file)) {
            AttentiveClassifier fresh = new AttentiveClassifier(m, new Random(0), D, 2, 1, CLASSES, 1e-6f);
            assertEquals(List.copyOf(fresh.parameters().keySet()), r.names());
            fresh.parameters().forEach((k, v) -> assertArrayEquals(v.getShape().getShape(), r.info(k).shape(), k));
            assertEquals("ATTENTIVE", r.metadata().get("kind"));
            assertEquals("a\nb\nc\nd", r.metadata().get("labels"));
        }
        ProbeResult lin = ProbeTrainer.train(data, ProbeConfig.builder(ProbeKind.LINEAR).optEpochs(1).build());
        assertEquals(List.of("linear.weight", "linear.bias"), List.copyOf(lin.parameters().keySet()));
        assertArrayEquals(new long[] {CLASSES, D}, lin.parameters().get("linear.weight").shape());
    }

    @Test
    void rejectsWhatItCannotTrain() {
        FeatureSet data = clusters(0.5, 1);
        FeatureSet pooledOnly = FeatureSet.of(null, new float[][] {data.pooled(0), data.pooled(2)}, 0, D,
                new int[] {0, 1}, new int[] {0, 1}, List.of());
        assertThrows(IllegalArgumentException.class, () -> ProbeTrainer.train(pooledOnly, attentive()));
        FeatureSet oneClass = data.withLabels(new int[data.size()], List.of());
        assertThrows(IllegalArgumentException.class, () -> ProbeTrainer.train(oneClass, linear()));
        assertThrows(IllegalArgumentException.class, () -> ProbeConfig.builder(ProbeKind.LINEAR).optHeldOutFraction(1).build());
    }
}
