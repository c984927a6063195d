package org.jepa4j.train.world;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * Training batches of a world model: {@code B} clips of {@code T} frames sampled uniformly over every clip start of
 * every episode (a pure function of the seed and the step, so a resumed run sees the same batches), as the frozen
 * encoder's layer-normed tokens with their actions and states. Tokens come from the {@link FeatureCache} when one is
 * given, else the clip's frames are read and encoded at every step. With a frame step k, a clip's action between two
 * sampled frames is the sum of the episode's k actions between them (right for displacement-like actions).
 */
public final class ClipBatches {

    private final EpisodeDataset data;
    private final FrameReader reader;
    private final FrameEncoder encoder;
    private final FeatureCache cache;
    private final int batch;
    private final long seed;
    private final int encodeBatch;

    /**
     * One batch.
     *
     * @param tokens layer-normed tokens {@code [B, T*H*W, E]}
     * @param actions {@code [B, T-1, A]}
     * @param states {@code [B, T, S]}
     */
    public record Batch(NDArray tokens, NDArray actions, NDArray states) {
    }

    /**
     * Creates the batch source.
     *
     * @param data the episodes
     * @param reader frame reader at the encoder's image size
     * @param encoder the frozen frame encoder
     * @param cache the feature cache (every episode already {@link FeatureCache#ensure ensured}), or null
     * @param batch clips per batch
     * @param seed sampling seed
     * @param encodeBatch frames per encoder pass
     */
    public ClipBatches(EpisodeDataset data, FrameReader reader, FrameEncoder encoder, FeatureCache cache, int batch,
            long seed, int encodeBatch) {
        this.data = data;
        this.reader = reader;
        this.encoder = encoder;
        this.cache = cache;
        this.batch = batch;
        this.seed = seed;
        this.encodeBatch = encodeBatch;
    }

    /**
     * The clips of a step (1-based), as chosen by the sampling seed.
     *
     * @param step the step
     * @return {@code batch} clips
     */
    public EpisodeDataset.Clip[] clipsOf(long step) {
        Random rng = new Random(seed * 1_000_003L + step * 7919L);
        long n = data.clipCount();
        EpisodeDataset.Clip[] clips = new EpisodeDataset.Clip[batch];
        for (int i = 0; i < batch; i++) {
            clips[i] = data.clip(Math.floorMod(rng.nextLong(), n));
        }
        return clips;
    }

    /**
     * The batch of a step (1-based).
     *
     * @param step the step
     * @param manager owner of the arrays
     * @return the batch
     */
    public Batch batch(long step, NDManager manager) {
        return batch(clipsOf(step), manager);
    }

    /**
     * The batch of some clips.
     *
     * @param clips the clips
     * @param manager owner of the arrays
     * @return the batch
     */
    public Batch batch(EpisodeDataset.Clip[] clips, NDManager manager) {
        int t = data.clipFrames();
        int k = data.frameStep();
        int hw = encoder.tokensPerFrame();
        int e = encoder.width();
        int a = data.actionDim();
        int s = data.stateDim();
        int b = clips.length;
        float[] actions = new float[b * (t - 1) * a];
        float[] states = new float[b * t * s];
        for (int i = 0; i < b; i++) {
            Episode ep = clips[i].episode();
            int start = clips[i].start();
            for (int f = 0; f < t; f++) {
                System.arraycopy(ep.states()[start + f * k], 0, states, (i * t + f) * s, s);
                if (f < t - 1) {
                    for (int j = 0; j < k; j++) {
                        float[] row = ep.actions()[start + f * k + j];
                        for (int c = 0; c < a; c++) {
                            actions[(i * (t - 1) + f) * a + c] += row[c];
                        }
                    }
                }
            }
        }
        NDArray tokens;
        if (cache != null) {
            float[] h = new float[b * t * hw * e];
            for (int i = 0; i < b; i++) {
                float[] all;
                try {
                    all = cache.tokens(clips[i].episode());
                } catch (IOException ex) {
                    throw new UncheckedIOException("feature cache of episode " + clips[i].episode().dir(), ex);
                }
                for (int f = 0; f < t; f++) {
                    int frame = clips[i].start() + f * k;
                    System.arraycopy(all, frame * hw * e, h, (i * t + f) * hw * e, hw * e);
                }
            }
            tokens = manager.create(h, new Shape(b, (long) t * hw, e));
        } else {
            int size = reader.size();
            float[] px = new float[b * t * 3 * size * size];
            for (int i = 0; i < b; i++) {
                int[] ids = new int[t];
                for (int f = 0; f < t; f++) {
                    ids[f] = clips[i].start() + f * k;
                }
                reader.read(clips[i].episode(), ids, px, i * t * 3 * size * size);
            }
            NDArray frames = manager.create(px, new Shape((long) b * t, 3, size, size));
            tokens = encoder.encode(frames, encodeBatch).reshape(b, (long) t * hw, e); // [B, T*HW, E]
        }
        return new Batch(tokens, manager.create(actions, new Shape(b, t - 1, a)),
                manager.create(states, new Shape(b, t, s)));
    }
}
