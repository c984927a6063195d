package org.jepa4j.train.physics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.jepa4j.video.decode.ClipDecoder;
import org.jepa4j.video.transform.Normalization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The violation-of-expectation evaluation: scores matched possible/impossible pairs by surprise with a model, the
 * same model at random initialization (several seeds, same run) and a pixel-extrapolation baseline.
 *
 * <p>Each video is decoded once at the model's size (every {@code frameStep}-th frame, no crop) and scored by every
 * measurement. A pair whose videos have different lengths, differ from the first frame, are identical, or are
 * shorter than one window is left out and listed in {@link PhysicsReport#skipped()} (and logged): such pairs are
 * not matched, so their scores would measure the mismatch rather than the violation.
 *
 * <p>Pairs that share a {@linkplain VideoPair#group() group id} (a balanced design such as an IntPhys quadruplet) are
 * scored together by the pairwise test ({@link VoeScores#groupedAccuracy}); the pair-level accuracy is reported
 * beside it. A group is scored over its pairs that were not left out.
 *
 * <pre>{@code
 * try (SurpriseModel model = SurpriseModel.fromRun(Path.of("runs/physics_tiny"), Device.cpu())) {
 *     PhysicsReport r = PhysicsEvaluation.builder().setModel(model).setPairs(PairsFile.read(csv)).build().run();
 *     System.out.println(r.toJson());
 * }
 * }</pre>
 */
public final class PhysicsEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(PhysicsEvaluation.class);

    /** Context lengths tried when none are given (those that fit the model are kept). */
    public static final List<Integer> DEFAULT_CONTEXTS = List.of(2, 4, 6);

    private final SurpriseModel model;
    private final List<VideoPair> pairs;
    private final List<Integer> contexts;
    private final int stride;
    private final int frameStep;
    private final int randomSeeds;
    private final PixelSurprise.Extrapolation extrapolation;
    private final Normalization normalization;
    private final int batchSize;
    private final IntConsumer progress;

    private PhysicsEvaluation(Builder b) {
        this.model = Objects.requireNonNull(b.model, "setModel is required");
        this.pairs = List.copyOf(Objects.requireNonNull(b.pairs, "setPairs is required"));
        this.contexts = b.contexts != null ? List.copyOf(b.contexts) : defaultContexts(model);
        this.stride = b.stride;
        this.frameStep = b.frameStep;
        this.randomSeeds = b.randomSeeds;
        this.extrapolation = b.extrapolation;
        this.normalization = b.normalization;
        this.batchSize = b.batchSize;
        this.progress = b.progress;
        new ModelSurprise(model, contexts, stride, batchSize); // validates the context lengths early
    }

    /**
     * The default context lengths of a model: the ones its recipe names ({@link SurpriseModel#scoringContexts()}, a
     * run's {@code eval.physics_context}) when it names some, else {@link #DEFAULT_CONTEXTS} within the clip and on
     * the tubelet grid, else the first tubelet alone.
     *
     * @param model the model
     * @return context lengths in frames
     */
    public static List<Integer> defaultContexts(SurpriseModel model) {
        if (!model.scoringContexts().isEmpty()) {
            return model.scoringContexts();
        }
        List<Integer> out = new ArrayList<>();
        for (int c : DEFAULT_CONTEXTS) {
            if (c < model.frames() && c % model.tubelet() == 0) {
                out.add(c);
            }
        }
        return out.isEmpty() ? List.of(model.tubelet()) : out;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the context lengths in frames. */
    public List<Integer> contexts() {
        return contexts;
    }

    /**
     * Scores every pair with the model, the random-init seeds and the pixel baseline.
     *
     * @return the report
     * @throws IOException if a video cannot be decoded (the message names it)
     */
    public PhysicsReport run() throws IOException {
        List<SurpriseModel> randoms = new ArrayList<>();
        try (ClipDecoder decoder = new ClipDecoder()) {
            for (int s = 0; s < randomSeeds; s++) {
                randoms.add(model.randomInit(1000L + s));
            }
            List<SurpriseMeasure> measures = new ArrayList<>();
            measures.add(new ModelSurprise(model, contexts, stride, batchSize));
            for (SurpriseModel r : randoms) {
                measures.add(new ModelSurprise(r, contexts, stride, batchSize));
            }
            measures.add(new PixelSurprise(model.frames(), contexts, stride, extrapolation));
            List<PairSurprise> scored = new ArrayList<>();
            List<SkippedPair> skipped = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                VideoPair pair = pairs.get(i);
                VideoFrames p = VideoFrames.read(decoder, pair.possible(), model.size(), frameStep);
                VideoFrames q = VideoFrames.read(decoder, pair.impossible(), model.size(), frameStep);
                String problem = mismatch(p, q);
                if (problem != null) {
                    LOG.warn("pair {} ({} / {}) left out: {}", i + 1, pair.possible(), pair.impossible(), problem);
                    skipped.add(new SkippedPair(pair, problem));
                } else {
                    scored.add(new PairSurprise(pair, p.firstDifference(q, 0), scoreAll(measures, p),
                            scoreAll(measures, q)));
                }
                progress.accept(i + 1);
            }
            if (scored.isEmpty()) {
                throw new IOException("no pair could be scored: all " + pairs.size() + " pairs were left out (first: "
                        + (skipped.isEmpty() ? "none" : skipped.get(0).reason()) + ")");
            }
            return report(scored, skipped, measures.size());
        } finally {
            randoms.forEach(SurpriseModel::close);
        }
    }

    private String mismatch(VideoFrames p, VideoFrames q) {
        if (p.frames() != q.frames()) {
            return "different lengths (" + p.frames() + " and " + q.frames() + " frames after frame step " + frameStep
                    + ")";
        }
        if (p.frames() < model.frames()) {
            return "shorter than one window (" + p.frames() + " frames, window " + model.frames() + ")";
        }
        int d = p.firstDifference(q, 0);
        if (d == 0) {
            return "the videos differ from the first frame (not a matched pair)";
        }
        if (d == p.frames()) {
            return "the videos are identical";
        }
        return null;
    }

    private List<VideoSurprise> scoreAll(List<SurpriseMeasure> measures, VideoFrames frames) {
        List<VideoSurprise> out = new ArrayList<>(measures.size());
        try (NDManager m = NDManager.newBaseManager(model.device())) {
            NDArray video = frames.toTensor(m, normalization); // [3, T, S, S]
            for (SurpriseMeasure measure : measures) {
                try (NDManager step = m.newSubManager()) {
                    NDArray v = video.duplicate();
                    v.attach(step);
                    out.add(measure.score(v));
                }
            }
        }
        return out;
    }

    private PhysicsReport report(List<PairSurprise> scored, List<SkippedPair> skipped, int measures) {
        int pixelIndex = measures - 1;
        Map<String, List<PairSurprise>> byType = new LinkedHashMap<>();
        for (PairSurprise p : scored) {
            byType.computeIfAbsent(p.pair().type(), t -> new ArrayList<>()).add(p);
        }
        Map<String, VoeSummary> modelByType = new LinkedHashMap<>();
        Map<String, VoeSummary> pixelByType = new LinkedHashMap<>();
        Map<String, double[]> randomByType = new LinkedHashMap<>();
        byType.forEach((type, list) -> {
            modelByType.put(type, summary(list, 0));
            pixelByType.put(type, summary(list, pixelIndex));
            double[] r = new double[randomSeeds];
            for (int s = 0; s < randomSeeds; s++) {
                r[s] = summary(list, 1 + s).pairwiseAccuracy();
            }
            randomByType.put(type, r);
        });
        double[] random = new double[randomSeeds];
        for (int s = 0; s < randomSeeds; s++) {
            random[s] = summary(scored, 1 + s).pairwiseAccuracy();
        }
        return new PhysicsReport(summary(scored, 0), modelByType, random, randomByType, summary(scored, pixelIndex),
                pixelByType, contexts, skipped, scored);
    }

    private static VoeSummary summary(List<PairSurprise> pairs, int measure) {
        List<VideoSurprise> p = new ArrayList<>();
        List<VideoSurprise> q = new ArrayList<>();
        String[] groups = new String[pairs.size()];
        for (PairSurprise s : pairs) {
            groups[p.size()] = s.pair().group();
            p.add(s.possible().get(measure));
            q.add(s.impossible().get(measure));
        }
        return VoeSummary.of(p, q, groups);
    }

    /** Builder of {@link PhysicsEvaluation}; the model and the pairs are required. */
    public static final class Builder {
        private SurpriseModel model;
        private List<VideoPair> pairs;
        private List<Integer> contexts;
        private int stride = 2;
        private int frameStep = 1;
        private int randomSeeds = 5;
        private PixelSurprise.Extrapolation extrapolation = PixelSurprise.Extrapolation.LAST_FRAME;
        private Normalization normalization = Normalization.IMAGENET;
        private int batchSize = 8;
        private IntConsumer progress = i -> { };

        private Builder() {}

        /**
         * Sets the model (required; not closed by the evaluation).
         *
         * @param model the networks
         * @return this builder
         */
        public Builder setModel(SurpriseModel model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the pairs (required).
         *
         * @param pairs matched pairs, e.g. from {@link PairsFile#read}
         * @return this builder
         */
        public Builder setPairs(List<VideoPair> pairs) {
            this.pairs = pairs;
            return this;
        }

        /**
         * Sets the context lengths in frames (default: {@link #defaultContexts}).
         *
         * @param contexts context lengths, each a multiple of the tubelet size and shorter than the clip
         * @return this builder
         */
        public Builder optContexts(List<Integer> contexts) {
            this.contexts = contexts;
            return this;
        }

        /**
         * Sets the frames between window starts (default 2, as the reference).
         *
         * @param stride at least 1
         * @return this builder
         */
        public Builder optStride(int stride) {
            this.stride = positive("stride", stride);
            return this;
        }

        /**
         * Keeps one frame in {@code frameStep} of each video (default 1; use the run's {@code sampling_rate}).
         *
         * @param frameStep at least 1
         * @return this builder
         */
        public Builder optFrameStep(int frameStep) {
            this.frameStep = positive("frameStep", frameStep);
            return this;
        }

        /**
         * Sets the number of random-init seeds of the baseline (default 5; 0 skips it).
         *
         * @param seeds at least 0
         * @return this builder
         */
        public Builder optRandomSeeds(int seeds) {
            if (seeds < 0) {
                throw new IllegalArgumentException("random seeds must be >= 0, got " + seeds);
            }
            this.randomSeeds = seeds;
            return this;
        }

        /**
         * Sets the pixel baseline's extrapolation (default last frame).
         *
         * @param extrapolation how future frames are predicted from pixels
         * @return this builder
         */
        public Builder optPixelExtrapolation(PixelSurprise.Extrapolation extrapolation) {
            this.extrapolation = Objects.requireNonNull(extrapolation, "extrapolation");
            return this;
        }

        /**
         * Sets the pixel normalization (default ImageNet, as in training).
         *
         * @param normalization per-channel mean and std
         * @return this builder
         */
        public Builder optNormalization(Normalization normalization) {
            this.normalization = Objects.requireNonNull(normalization, "normalization");
            return this;
        }

        /**
         * Sets how many windows are encoded together (default 8).
         *
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = positive("batchSize", batchSize);
            return this;
        }

        /**
         * Sets a callback told the number of pairs done after each pair.
         *
         * @param progress the callback
         * @return this builder
         */
        public Builder optProgress(IntConsumer progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * Builds the evaluation.
         *
         * @return the evaluation
         * @throws IllegalArgumentException if a context length does not fit the model
         */
        public PhysicsEvaluation build() {
            return new PhysicsEvaluation(this);
        }

        private static int positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, got " + v);
            }
            return v;
        }
    }
}
