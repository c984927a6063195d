package org.jepa4j.train.world;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.core.world.ActionConditionedPredictor;

/**
 * Scores a world model on episodes (typically held out): the teacher-forcing and rollout losses of training
 * ({@link WorldModelStep#losses}) next to the copy-the-last-frame baseline, which predicts that nothing moves:
 * frame t+1's tokens = frame t's (teacher forcing), frames 1..auto_steps = frame 0 (rollout). A model that learned
 * the dynamics scores well below the baseline; one that learned nothing scores about the same or worse.
 */
public final class WorldModelEvaluation {

    private WorldModelEvaluation() {
    }

    /**
     * Mean losses over the clips scored.
     *
     * @param teacherForcing the model's teacher-forcing loss
     * @param rollout the model's rollout loss
     * @param copyTeacherForcing the copy-last baseline's teacher-forcing loss
     * @param copyRollout the copy-last baseline's rollout loss
     * @param clips clips scored
     */
    public record Result(double teacherForcing, double rollout, double copyTeacherForcing, double copyRollout,
            int clips) {

        /**
         * A one-line summary.
         *
         * @return a one-line summary
         */
        @Override
        public String toString() {
            return String.format("teacher forcing %.4f (copy-last %.4f), rollout %.4f (copy-last %.4f) over %d clips",
                    teacherForcing, copyTeacherForcing, rollout, copyRollout, clips);
        }
    }

    /**
     * Scores a trained world model on an episode folder (clips as in its training: frames, frame step).
     *
     * @param model the trained model
     * @param episodes the episode folder (held out from training)
     * @param maxClips at most this many clips, evenly spread
     * @return the mean losses
     * @throws java.io.IOException if the folder cannot be read
     */
    public static Result evaluate(WorldModel model, java.nio.file.Path episodes, int maxClips)
            throws java.io.IOException {
        WorldTrainConfig c = model.config();
        EpisodeDataset data = EpisodeDataset.open(episodes, c.clipFrames(), c.frameStep(), model.actionDim());
        try (FrameReader reader = new FrameReader(model.frameSize());
                NDManager m = NDManager.newBaseManager(model.encoder().device())) {
            ClipBatches batches = new ClipBatches(data, reader, model.encoder(), null, c.batchSize(), c.seed(),
                    c.encodeBatch());
            return evaluate(model.predictor(), batches, data, c, maxClips, c.batchSize(), m);
        }
    }

    /**
     * Scores evenly spread clips of a dataset.
     *
     * @param predictor the predictor
     * @param batches batches of the dataset's clips (its encoder and cache)
     * @param data the dataset
     * @param config the training configuration (auto_steps, loss_exp, normalize_reps)
     * @param maxClips at most this many clips, evenly spread over all clip starts
     * @param batch clips per forward pass
     * @param manager parent of the per-batch managers
     * @return the mean losses
     */
    public static Result evaluate(ActionConditionedPredictor predictor, ClipBatches batches, EpisodeDataset data,
            WorldTrainConfig config, int maxClips, int batch, NDManager manager) {
        long n = data.clipCount();
        int count = (int) Math.min(n, maxClips);
        List<EpisodeDataset.Clip> clips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clips.add(data.clip(i * n / count));
        }
        WorldModelStep scorer = new WorldModelStep(predictor, null, config.autoSteps(), config.lossExp(),
                config.normalizeReps());
        int hw = predictor.config().tokensPerFrame();
        double tf = 0;
        double ar = 0;
        double copyTf = 0;
        double copyAr = 0;
        for (int start = 0; start < count; start += batch) {
            List<EpisodeDataset.Clip> part = clips.subList(start, Math.min(count, start + batch));
            try (NDManager sub = manager.newSubManager(); NDScope scope = new NDScope();
                    NoGrad ignored = NoGrad.enter()) {
                ClipBatches.Batch b = batches.batch(part.toArray(new EpisodeDataset.Clip[0]), sub);
                NDArray[] losses = scorer.losses(b.tokens(), b.actions(),
                        config.useStates() ? b.states() : b.states().zerosLike());
                double w = part.size();
                tf += losses[0].getFloat() * w;
                ar += losses[1].getFloat() * w;
                NDArray h = b.tokens(); // [b, T*HW, E]
                long len = h.getShape().get(1);
                NDArray previous = h.get(":, :" + (len - hw)); // frames 0..T-2 as the guess of frames 1..T-1
                NDArray next = h.get(":, " + hw + ":");
                copyTf += JepaLoss.vjepaLoss(List.of(previous), List.of(next), config.lossExp()).getFloat() * w;
                NDArray frame0 = h.get(":, :" + hw);
                ai.djl.ndarray.NDList copies = new ai.djl.ndarray.NDList();
                for (int k = 0; k < config.autoSteps(); k++) {
                    copies.add(frame0);
                }
                NDArray first = ai.djl.ndarray.NDArrays.concat(copies, 1); // frame 0 as the guess of frames 1..auto
                NDArray rolled = h.get(":, " + hw + ":" + (hw * (config.autoSteps() + 1)));
                copyAr += JepaLoss.vjepaLoss(List.of(first), List.of(rolled), config.lossExp()).getFloat() * w;
            }
        }
        return new Result(tf / count, ar / count, copyTf / count, copyAr / count, count);
    }
}
