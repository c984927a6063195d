package org.jepa4j.train.physics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.model.TokenGrid;
import org.jepa4j.core.tensor.NoGrad;

/**
 * Surprise of a JEPA world model, as the reference evaluation measures it (Garrido et al. 2025).
 *
 * <p>The video is cut into windows of the model's clip length, one every {@code stride} frames. In a window, for
 * each context length C:
 * <ol>
 *   <li>targets: the target encoder on the whole window, every token, layer-normed without affine;</li>
 *   <li>predictions: the context encoder on the tokens of the first C frames only, then the predictor with mask
 *       token 0 at every token of frames C..end (the full spatial extent of the future);</li>
 *   <li>surprise: the mean absolute difference over those target tokens and their channels.</li>
 * </ol>
 * The window's value is the minimum over the context lengths.
 */
public final class ModelSurprise implements SurpriseMeasure {

    private final SurpriseModel model;
    private final int[] contexts;
    private final int stride;
    private final int batchSize;

    /**
     * Creates the measurement.
     *
     * @param model the networks
     * @param contexts context lengths in frames, each a multiple of the tubelet size and shorter than the clip
     * @param stride frames between the starts of two windows (at least 1)
     * @param batchSize windows encoded together (at least 1)
     * @throws IllegalArgumentException naming a context length that does not fit the model
     */
    public ModelSurprise(SurpriseModel model, List<Integer> contexts, int stride, int batchSize) {
        this.model = Objects.requireNonNull(model, "model");
        if (contexts.isEmpty()) {
            throw new IllegalArgumentException("at least one context length is needed");
        }
        for (int c : contexts) {
            if (c <= 0 || c >= model.frames() || c % model.tubelet() != 0) {
                throw new IllegalArgumentException("context length " + c + " frames does not fit the model: it must be"
                        + " a multiple of the tubelet size " + model.tubelet() + " between " + model.tubelet()
                        + " and " + (model.frames() - model.tubelet()) + " (clip of " + model.frames() + " frames)");
            }
        }
        if (stride < 1 || batchSize < 1) {
            throw new IllegalArgumentException("stride and batchSize must be >= 1, got " + stride + ", " + batchSize);
        }
        this.contexts = contexts.stream().mapToInt(Integer::intValue).toArray();
        this.stride = stride;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return model.description();
    }

    /** Returns the networks. */
    public SurpriseModel model() {
        return model;
    }

    @Override
    public VideoSurprise score(NDArray video) {
        int frames = model.frames();
        List<Integer> starts = windowStarts(video, frames, stride);
        List<WindowSurprise> out = new ArrayList<>(starts.size());
        try (NoGrad ignored = NoGrad.enter()) {
            for (int from = 0; from < starts.size(); from += batchSize) {
                List<Integer> chunk = starts.subList(from, Math.min(starts.size(), from + batchSize));
                try (NDManager step = video.getManager().newSubManager()) {
                    double[][] values = scoreWindows(video, chunk, step); // [windows][contexts]
                    for (int i = 0; i < chunk.size(); i++) {
                        out.add(WindowSurprise.ofMin(chunk.get(i), values[i]));
                    }
                }
            }
        }
        return new VideoSurprise(out, frames);
    }

    /**
     * The starts of the windows of a video, {@code 0, stride, 2 stride, ...} while a whole window fits.
     *
     * @param video {@code [3, T, S, S]}
     * @param frames window length
     * @param stride frames between starts
     * @return the starts (at least one)
     * @throws IllegalArgumentException if the video is shorter than one window
     */
    static List<Integer> windowStarts(NDArray video, int frames, int stride) {
        long t = video.getShape().get(1);
        if (t < frames) {
            throw new IllegalArgumentException("video of " + t + " frames is shorter than one window of " + frames
                    + " frames");
        }
        List<Integer> starts = new ArrayList<>();
        for (int s = 0; s + frames <= t; s += stride) {
            starts.add(s);
        }
        return starts;
    }

    private double[][] scoreWindows(NDArray video, List<Integer> starts, NDManager step) {
        int frames = model.frames();
        List<NDArray> clips = new ArrayList<>(starts.size());
        for (int s : starts) {
            NDArray clip = video.get(new NDIndex(":, {}:{}", s, s + frames)); // [3, F, S, S]
            clip.attach(step);
            clips.add(clip);
        }
        NDArray batch = NDArrays.stack(new ai.djl.ndarray.NDList(clips)); // [W, 3, F, S, S]
        batch.attach(step);
        long w = starts.size();
        TokenGrid grid = model.contextEncoder().gridOf(batch);
        int perFrame = grid.tokensPerFrame();
        int n = grid.numTokens();
        NDArray targets = JepaLoss.layerNormNoAffine(model.targetEncoder().forward(batch)); // [W, N, D]
        double[][] values = new double[(int) w][contexts.length];
        for (int k = 0; k < contexts.length; k++) {
            int contextTokens = contexts[k] / model.tubelet() * perFrame; // Nc: every token of the first C frames
            NDArray contextIds = step.arange(0, contextTokens, 1, DataType.INT64)
                    .reshape(1, contextTokens).broadcast(w, contextTokens); // [W, Nc]
            NDArray targetIds = step.arange(contextTokens, n, 1, DataType.INT64)
                    .reshape(1, n - contextTokens).broadcast(w, n - contextTokens); // [W, Nt]
            NDArray context = model.contextEncoder().forward(batch, contextIds); // [W, Nc, D]
            NDArray predicted = model.predictor().forward(context, contextIds, targetIds, 0, grid); // [W, Nt, D]
            NDArray future = targets.get(new NDIndex(":, {}:", contextTokens)); // [W, Nt, D]
            float[] l1 = predicted.sub(future).abs().reshape(w, -1).mean(new int[] {1}).toFloatArray(); // [W]
            for (int i = 0; i < w; i++) {
                values[i][k] = l1[i];
            }
        }
        return values;
    }

    /** Returns the context lengths in frames. */
    public int[] contexts() {
        return contexts.clone();
    }

    /** Returns the frames between window starts. */
    public int stride() {
        return stride;
    }

    /**
     * The shape a video must have for this measurement (for messages).
     *
     * @param frames frames of the video
     * @return {@code [3, frames, S, S]}
     */
    public Shape inputShape(int frames) {
        return new Shape(3, frames, model.size(), model.size());
    }
}
