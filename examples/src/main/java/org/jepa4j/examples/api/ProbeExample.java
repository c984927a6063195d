package org.jepa4j.examples.api;

import java.io.IOException;
import java.nio.file.Path;
import org.jepa4j.train.features.FeatureSet;
import org.jepa4j.train.probe.ProbeConfig;
import org.jepa4j.train.probe.ProbeKind;
import org.jepa4j.train.probe.ProbeResult;
import org.jepa4j.train.probe.ProbeTrainer;

/**
 * Trains a linear probe on pooled features written by a feature extraction and reports held-out top-1.
 *
 * <p>Run: {@code java -cp examples/target/jepa4j.jar org.jepa4j.examples.api.ProbeExample features/}
 */
public final class ProbeExample {

    private ProbeExample() {
    }

    /**
     * Trains and evaluates the probe, and saves it as {@code probe-linear.safetensors} in the features folder.
     *
     * @param features an extraction's output folder (index.csv + features/)
     * @param epochs training epochs
     * @return accuracies and the probe's parameters
     * @throws IOException if the features cannot be read or the probe cannot be written
     */
    public static ProbeResult run(Path features, int epochs) throws IOException {
        FeatureSet data = FeatureSet.load(features, false); // pooled features are enough for a linear probe
        ProbeResult result = ProbeTrainer.train(data, ProbeConfig.builder(ProbeKind.LINEAR).optEpochs(epochs).build());
        result.save(features.resolve("probe-linear.safetensors"));
        return result;
    }

    /**
     * Entry point.
     *
     * @param args features folder, epochs (default 20)
     * @throws IOException if the features cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ProbeExample <features dir> [epochs]");
            System.exit(2);
        }
        ProbeResult r = run(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 20);
        System.out.printf("held-out top-1 %.3f (chance %.3f)%n", r.heldOutTop1(), r.chance());
    }
}
