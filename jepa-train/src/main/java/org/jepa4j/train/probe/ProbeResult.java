package org.jepa4j.train.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.TensorData;

/**
 * The outcome of {@link ProbeTrainer#train}: accuracies and the trained parameters (held in Java memory).
 *
 * @param config the settings used
 * @param heldOutTop1 top-1 accuracy on held-out samples, each predicted from the mean softmax over its clips
 * @param heldOutClipTop1 top-1 accuracy on held-out clips, each on its own
 * @param trainTop1 top-1 accuracy on training samples (mean softmax over clips), after training
 * @param heldOutSamples number of held-out samples
 * @param trainSamples number of training samples
 * @param numClasses number of classes
 * @param labelNames class names by id (possibly empty)
 * @param epochLosses mean training cross-entropy of each epoch
 * @param parameters the probe's parameters by name ({@code linear.*}, or {@code pooler.*} and {@code linear.*})
 */
public record ProbeResult(ProbeConfig config, double heldOutTop1, double heldOutClipTop1, double trainTop1,
        int heldOutSamples, int trainSamples, int numClasses, List<String> labelNames, double[] epochLosses,
        Map<String, TensorData> parameters) {

    /** Copies the collections. */
    public ProbeResult {
        labelNames = List.copyOf(labelNames);
        epochLosses = epochLosses.clone();
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Returns a copy of the per-epoch losses. */
    @Override
    public double[] epochLosses() {
        return epochLosses.clone();
    }

    /**
     * Returns the accuracy of uniform random guessing, {@code 1 / numClasses}.
     *
     * @return the accuracy of uniform random guessing, {@code 1 / numClasses}
     */
    public double chance() {
        return 1.0 / numClasses;
    }

    /**
     * Saves the probe parameters as safetensors, with metadata {@code kind}, {@code num_classes},
     * {@code labels} (newline-separated), {@code held_out_top1} and {@code config}.
     *
     * @param file the destination (written atomically)
     * @throws IOException if writing fails
     */
    public void save(Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kind", config.kind().name());
        meta.put("num_classes", Integer.toString(numClasses));
        meta.put("labels", String.join("\n", labelNames));
        meta.put("held_out_top1", Double.toString(heldOutTop1));
        meta.put("config", config.toString());
        SafeTensors.writeData(file, parameters, meta);
    }

    @Override
    public String toString() {
        return String.format("ProbeResult[%s: held-out top-1 %.4f (clips %.4f, %d samples), train top-1 %.4f "
                + "(%d samples), %d classes, final loss %.4f]", config.kind(), heldOutTop1, heldOutClipTop1,
                heldOutSamples, trainTop1, trainSamples, numClasses,
                epochLosses.length == 0 ? Double.NaN : epochLosses[epochLosses.length - 1]);
    }
}
