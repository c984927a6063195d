package org.jepa4j.train.physics;

import com.google.gson.GsonBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a violation-of-expectation evaluation: the model's scores overall and per violation type, the
 * random-init baseline (same networks at initialization, several seeds) and the pixel baseline.
 *
 * @param model the model's scores over all scored pairs
 * @param byType the model's scores per violation type, in first-seen order
 * @param randomInitAccuracy pairwise accuracy of each random-init seed
 * @param randomInitByType pairwise accuracy of each random-init seed per type
 * @param pixel the pixel baseline's scores
 * @param pixelByType the pixel baseline's scores per type
 * @param contexts context lengths used, in frames
 * @param skipped pairs left out, with reasons
 * @param pairs per-pair surprise curves (model first, then random inits, then pixel)
 */
public record PhysicsReport(VoeSummary model, Map<String, VoeSummary> byType, double[] randomInitAccuracy,
        Map<String, double[]> randomInitByType, VoeSummary pixel, Map<String, VoeSummary> pixelByType,
        List<Integer> contexts, List<SkippedPair> skipped, List<PairSurprise> pairs) {

    /** Copies the collections. */
    public PhysicsReport {
        byType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byType));
        randomInitAccuracy = randomInitAccuracy.clone();
        randomInitByType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(randomInitByType));
        pixelByType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pixelByType));
        contexts = List.copyOf(contexts);
        skipped = List.copyOf(skipped);
        pairs = List.copyOf(pairs);
    }

    @Override
    public double[] randomInitAccuracy() {
        return randomInitAccuracy.clone();
    }

    /** Returns the mean pairwise accuracy of the random-init seeds (NaN without seeds). */
    public double randomInitMean() {
        if (randomInitAccuracy.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : randomInitAccuracy) {
            s += v;
        }
        return s / randomInitAccuracy.length;
    }

    /**
     * The summary as one JSON object: {@code pairs}, {@code pairwise_accuracy}, {@code auroc}, {@code by_type},
     * {@code baselines} ({@code random_init}: mean accuracy, sd, seeds, per type; {@code pixel}: accuracy, AUROC,
     * per type) and {@code context_frames}; an undefined score (no random-init seeds) is {@code null}. Where pairs
     * are grouped, {@code pairwise_accuracy} is over groups and {@code groups}, {@code pair_level_accuracy} (over
     * pairs, ignoring groups) and {@code ties} (groups whose two summed surprises are equal within
     * {@value VoeSummary#TIE_TOLERANCE} of their sum, counted as wrong) are added beside it.
     *
     * @return compact JSON on one line
     */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.putAll(summary(model));
        Map<String, Object> types = new LinkedHashMap<>();
        byType.forEach((t, s) -> types.put(t, summary(s)));
        root.put("by_type", types);
        Map<String, Object> baselines = new LinkedHashMap<>();
        Map<String, Object> random = new LinkedHashMap<>();
        random.put("pairwise_accuracy", round(randomInitMean()));
        random.put("sd", round(VoeScores.sd(randomInitAccuracy)));
        random.put("seeds", randomInitAccuracy.length);
        baselines.put("random_init", random);
        Map<String, Object> pix = new LinkedHashMap<>();
        pix.put("pairwise_accuracy", round(pixel.pairwiseAccuracy()));
        if (pixel.grouped()) {
            pix.put("pair_level_accuracy", round(pixel.pairLevelAccuracy()));
            pix.put("ties", pixel.ties());
        }
        pix.put("auroc", round(pixel.auroc()));
        baselines.put("pixel", pix);
        if (!pixelByType.isEmpty()) {
            Map<String, Object> pixTypes = new LinkedHashMap<>();
            pixelByType.forEach((t, s) -> pixTypes.put(t, summary(s)));
            pix.put("by_type", pixTypes);
        }
        if (!randomInitByType.isEmpty() && randomInitAccuracy.length > 0) {
            Map<String, Object> randomTypes = new LinkedHashMap<>();
            randomInitByType.forEach((t, a) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                double mean = 0;
                for (double v : a) {
                    mean += v;
                }
                m.put("pairwise_accuracy", round(mean / a.length));
                m.put("sd", round(VoeScores.sd(a)));
                m.put("per_seed", java.util.Arrays.stream(a).mapToObj(PhysicsReport::round).toList());
                randomTypes.put(t, m);
            });
            random.put("by_type", randomTypes);
        }
        root.put("baselines", baselines);
        root.put("context_frames", contexts);
        return new GsonBuilder().serializeNulls().create().toJson(root); // undefined scores (no seeds, no pairs) are null
    }

    private static Map<String, Object> summary(VoeSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pairs", s.pairs());
        if (s.grouped()) {
            m.put("groups", s.groups());
        }
        m.put("pairwise_accuracy", round(s.pairwiseAccuracy()));
        if (s.grouped()) {
            m.put("pair_level_accuracy", round(s.pairLevelAccuracy()));
            m.put("ties", s.ties());
        }
        m.put("auroc", round(s.auroc()));
        return m;
    }

    private static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : null;
    }
}
