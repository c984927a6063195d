package org.jepa4j.train.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.io.TensorData;
import org.jepa4j.core.io.TensorInfo;

/**
 * Encodes already-preprocessed inputs stored in a safetensors file, as Hugging Face processors produce them:
 * {@value #VIDEO_KEY} {@code [B, T, C, H, W]} (video encoder) or {@value #IMAGE_KEY} {@code [B, C, H, W]}
 * (image encoder), normalized float pixels (F32, F16 or BF16). Writes {@value #OUTPUT_KEY} {@code [B, N, D]}
 * (float32) to an output safetensors file, in batches, each batch's arrays in their own sub-manager.
 *
 * <p>The whole input tensor is read into Java memory first (a limitation for very large files).
 */
public final class TensorFileExtractor {

    /** Input name of video pixels {@code [B, T, C, H, W]}. */
    public static final String VIDEO_KEY = "pixel_values_videos";
    /** Input name of image pixels {@code [B, C, H, W]}. */
    public static final String IMAGE_KEY = "pixel_values";
    /** Output name of the encoder's token features {@code [B, N, D]}. */
    public static final String OUTPUT_KEY = "last_hidden_state";

    private TensorFileExtractor() {}

    /**
     * Encodes every row of the input file.
     *
     * @param encoder the encoder
     * @param input safetensors file with {@value #VIDEO_KEY} or {@value #IMAGE_KEY}
     * @param output safetensors file to write (atomically) with {@value #OUTPUT_KEY}
     * @param batchSize rows per forward pass
     * @param progress called after each batch with rows done and total (bad is always 0)
     * @return the shape of {@value #OUTPUT_KEY}
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if the input key is missing, or its shape does not fit the encoder
     */
    public static Shape extract(FrozenEncoder encoder, Path input, Path output, int batchSize,
            ProgressListener progress) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        boolean video = encoder.config().isVideo();
        String key = video ? VIDEO_KEY : IMAGE_KEY;
        float[] pixels;
        long[] shape;
        try (SafeTensorsReader reader = SafeTensors.open(input)) {
            if (!reader.contains(key)) {
                throw new IllegalArgumentException(input + ": no tensor '" + key + "' for a "
                        + (video ? "video" : "image") + " encoder (tensors: " + reader.names() + ")");
            }
            TensorInfo info = reader.info(key);
            shape = info.shape();
            int rank = video ? 5 : 4;
            if (shape.length != rank) {
                throw new IllegalArgumentException(input + ": '" + key + "' must be "
                        + (video ? "[B, T, C, H, W]" : "[B, C, H, W]") + ", got shape " + new Shape(shape));
            }
            pixels = reader.readFloats(key);
        }
        int b = (int) shape[0];
        int rowFloats = (int) (pixels.length / Math.max(1, b));
        Shape row = new Shape(java.util.Arrays.copyOfRange(shape, 1, shape.length));
        float[] out = null;
        int n = 0;
        int d = 0;
        try (NDManager root = encoder.manager().newSubManager()) {
            for (int start = 0; start < b; start += batchSize) {
                int rows = Math.min(batchSize, b - start);
                try (NDManager step = root.newSubManager()) {
                    NDArray x = step.create(java.nio.FloatBuffer.wrap(pixels, start * rowFloats, rows * rowFloats),
                            new Shape(rows).addAll(row)); // [b, T, C, H, W] or [b, C, H, W]
                    if (video) {
                        x = x.transpose(0, 2, 1, 3, 4); // [b, C, T, H, W]
                    }
                    NDArray h = encoder.encode(x); // [b, N, D]
                    if (out == null) {
                        n = (int) h.getShape().get(1);
                        d = (int) h.getShape().get(2);
                        out = new float[Math.multiplyExact(b, Math.multiplyExact(n, d))];
                    }
                    float[] part = h.toFloatArray();
                    System.arraycopy(part, 0, out, start * n * d, part.length);
                }
                progress.onProgress(start + rows, b, 0);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException(input + ": '" + key + "' has no rows");
        }
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put(OUTPUT_KEY, TensorData.ofFloats(out, b, n, d));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("encoder", encoder.description());
        meta.put("input", input.toString());
        SafeTensors.writeData(output, tensors, meta);
        return new Shape(b, n, d);
    }
}
