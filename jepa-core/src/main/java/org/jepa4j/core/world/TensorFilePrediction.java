package org.jepa4j.core.world;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.tensor.NoGrad;

/**
 * Tensor mode of {@code jepa4j world predict}: reads {@code tokens [B, T*H*W, E]}, {@code actions [B, T, A]},
 * {@code states [B, T, A]} (and {@code extrinsics [B, T, A-1]} when the predictor uses them) from a safetensors
 * file and writes {@code predictions [B, T*H*W, E]} to another, a few rows at a time.
 */
public final class TensorFilePrediction {

    /** Name of the output tensor. */
    public static final String OUTPUT_KEY = "predictions";

    private TensorFilePrediction() {
    }

    /**
     * Predicts every row of an input file.
     *
     * @param predictor the predictor
     * @param in the input safetensors file
     * @param out the output safetensors file (written atomically)
     * @param batch rows per forward pass
     * @return the shape of the predictions
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException naming the file and tensor that is missing or mis-shaped
     */
    public static Shape run(ActionConditionedPredictor predictor, Path in, Path out, int batch) throws IOException {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        List<String> names = new ArrayList<>(List.of("tokens", "actions", "states"));
        if (predictor.config().useExtrinsics()) {
            names.add("extrinsics");
        }
        try (NDManager m = NDManager.newBaseManager(predictor.parameters().values().iterator().next().getDevice());
                SafeTensorsReader reader = SafeTensors.open(in);
                NoGrad ignored = NoGrad.enter()) {
            NDList inputs = new NDList();
            for (String name : names) {
                if (!reader.contains(name)) {
                    throw new IllegalArgumentException(in + ": no tensor '" + name + "' (has " + reader.names()
                            + "; needs " + names + ")");
                }
                inputs.add(reader.load(name, m));
            }
            long rows = inputs.get(0).getShape().get(0);
            NDList parts = new NDList();
            for (long start = 0; start < rows; start += batch) {
                long end = Math.min(rows, start + batch);
                String range = start + ":" + end;
                NDArray ext = names.size() > 3 ? inputs.get(3).get(range) : null;
                try {
                    parts.add(predictor.forward(inputs.get(0).get(range), inputs.get(1).get(range),
                            inputs.get(2).get(range), ext));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(in + ": " + e.getMessage(), e);
                }
            }
            NDArray predictions = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
            SafeTensors.write(out, Map.of(OUTPUT_KEY, predictions), Map.of("predictor",
                    predictor.config().toJson().replace('\n', ' ')));
            return predictions.getShape();
        }
    }
}
