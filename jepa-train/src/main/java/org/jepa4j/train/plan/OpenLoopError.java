package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Locale;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.video.synthetic.TwoRoomEpisodes;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;

/**
 * Open-loop prediction error against steps ahead: from the first frame of fresh random-walk episodes, the world
 * model imagines k frames with the true actions (no observation after the first) and its layer-normed prediction
 * is compared with the encoded real frame k (mean L1), next to the copy-the-last-frame baseline (the first frame's
 * tokens as the prediction of every later frame).
 *
 * @param model mean L1 of the model's prediction per step ahead (index 0 = 1 step)
 * @param copyLast mean L1 of copying the last observed frame per step ahead
 * @param episodes episodes measured
 */
public record OpenLoopError(double[] model, double[] copyLast, int episodes) {

    /**
     * Measures the error.
     *
     * @param dynamics the world model
     * @param encoder frame encoder of the world model
     * @param spec the world's settings
     * @param manager owner of temporaries
     * @param episodes number of episodes
     * @param steps largest number of steps ahead
     * @param seed seed of the episodes
     * @return the errors
     */
    public static OpenLoopError measure(LatentDynamics dynamics, ObservationEncoder encoder, TwoRoomSpec spec,
            NDManager manager, int episodes, int steps, long seed) {
        return measure(dynamics, encoder, spec, manager, episodes, steps, 1, seed);
    }

    /**
     * Measures the error of a world model trained with a frame skip: each predicted step spans {@code frameStep}
     * recorded frames, its action the sum of theirs (as training clips sum them).
     *
     * @param dynamics the world model
     * @param encoder frame encoder of the world model
     * @param spec the world's settings
     * @param manager owner of temporaries
     * @param episodes number of episodes
     * @param steps largest number of predicted steps ahead
     * @param frameStep recorded frames per predicted step (the model's {@code data.frame_step}, at least 1)
     * @param seed seed of the episodes
     * @return the errors, per predicted step
     * @throws IllegalArgumentException if frameStep is below 1
     */
    public static OpenLoopError measure(LatentDynamics dynamics, ObservationEncoder encoder, TwoRoomSpec spec,
            NDManager manager, int episodes, int steps, int frameStep, long seed) {
        if (frameStep < 1) {
            throw new IllegalArgumentException("frameStep must be >= 1, got " + frameStep);
        }
        double[] model = new double[steps];
        double[] copy = new double[steps];
        TwoRoomEpisodes.Spec collection = new TwoRoomEpisodes.Spec(spec, episodes, steps * frameStep + 1, seed);
        try (NoGrad ignored = NoGrad.enter()) {
            for (int e = 0; e < episodes; e++) {
                try (NDManager m = manager.newSubManager()) {
                    TwoRoomEpisodes.Episode ep = TwoRoomEpisodes.simulate(collection, e);
                    TwoRoomWorld world = new TwoRoomWorld(spec, ep.doorY());
                    NDList frames = new NDList();
                    for (double[] s : ep.states()) {
                        frames.add(encoder.encode(m, world.render(s), spec.size()).expandDims(0)); // [1, N, D]
                    }
                    NDArray real = GoalEnergy.layerNorm(NDArrays.concat(frames, 0)); // [T, N, D]
                    float[] acts = new float[steps * 2];
                    for (int t = 0; t < steps; t++) {
                        for (int j = 0; j < frameStep; j++) { // a predicted step's action: the sum of its frames'
                            acts[2 * t] += (float) (ep.actions()[t * frameStep + j][0] / spec.size());
                            acts[2 * t + 1] += (float) (ep.actions()[t * frameStep + j][1] / spec.size());
                        }
                    }
                    float[] s0 = {(float) (ep.states()[0][0] / spec.size()), (float) (ep.states()[0][1] / spec.size())};
                    NDArray predicted = dynamics.rollout(real.get(0), m.create(s0),
                            m.create(acts, new Shape(1, steps, 2))); // [1, H, N, D]
                    for (int k = 0; k < steps; k++) {
                        NDArray target = real.get((k + 1) * frameStep); // [N, D]
                        model[k] += GoalEnergy.layerNorm(predicted.get(0, k)).sub(target).abs().mean().getFloat();
                        copy[k] += real.get(0).sub(target).abs().mean().getFloat();
                    }
                }
            }
        }
        for (int k = 0; k < steps; k++) {
            model[k] /= episodes;
            copy[k] /= episodes;
        }
        return new OpenLoopError(model, copy, episodes);
    }

    /**
     * The errors as JSON: {@code {"steps_ahead": [...], "model": [...], "copy_last": [...], "episodes": n}}.
     *
     * @return the JSON object
     */
    public JsonObject toJson() {
        JsonObject j = new JsonObject();
        JsonArray k = new JsonArray();
        JsonArray mo = new JsonArray();
        JsonArray co = new JsonArray();
        for (int i = 0; i < model.length; i++) {
            k.add(i + 1);
            mo.add(Math.round(model[i] * 10000) / 10000.0);
            co.add(Math.round(copyLast[i] * 10000) / 10000.0);
        }
        j.add("steps_ahead", k);
        j.add("model", mo);
        j.add("copy_last", co);
        j.addProperty("episodes", episodes);
        return j;
    }

    /**
     * A text table: steps ahead, model error, copy-last error.
     *
     * @return the table
     */
    public String table() {
        StringBuilder sb = new StringBuilder("steps ahead   model L1   copy-last L1\n");
        for (int i = 0; i < model.length; i++) {
            sb.append(String.format(Locale.ROOT, "%11d   %8.4f   %12.4f%n", i + 1, model[i], copyLast[i]));
        }
        return sb.toString();
    }
}
