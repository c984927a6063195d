package org.jepa4j.train.physics;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The two scores of the violation-of-expectation test. */
public final class VoeScores {

    private VoeScores() {}

    /**
     * Pairwise ("relative") accuracy: the fraction of pairs whose impossible video is strictly more surprising.
     *
     * @param possible per-pair score of the possible video (the reference uses mean surprise)
     * @param impossible per-pair score of the impossible video, same order
     * @return accuracy in [0, 1], NaN for no pairs
     */
    public static double pairwiseAccuracy(double[] possible, double[] impossible) {
        if (possible.length != impossible.length) {
            throw new IllegalArgumentException(possible.length + " possible scores but " + impossible.length
                    + " impossible scores");
        }
        if (possible.length == 0) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < possible.length; i++) {
            if (impossible[i] > possible[i]) {
                correct++;
            }
        }
        return (double) correct / possible.length;
    }

    /**
     * Pairwise accuracy over groups of pairs (balanced designs such as IntPhys quadruplets, where every frame set
     * appears once possible and once impossible): a group is correct when the summed score of its impossible videos
     * is strictly above that of its possible videos. A pair with an empty group id is its own group, so without
     * group ids this equals {@link #pairwiseAccuracy}.
     *
     * @param possible per-pair score of the possible video
     * @param impossible per-pair score of the impossible video, same order
     * @param groups per-pair group id, same order (empty: its own group)
     * @return accuracy over groups in [0, 1], NaN for no pairs
     */
    public static double groupedAccuracy(double[] possible, double[] impossible, String[] groups) {
        Collection<double[]> sums = groupSums(possible, impossible, groups);
        if (sums.isEmpty()) {
            return Double.NaN;
        }
        int correct = 0;
        for (double[] s : sums) {
            if (s[1] > s[0]) {
                correct++;
            }
        }
        return (double) correct / sums.size();
    }

    /**
     * Counts the groups of {@link #groupedAccuracy} whose two sums are equal within a relative tolerance: groups
     * where every window cancels (for example all videos identical while the subject is hidden and no window's
     * context sees it), which the strict test counts as wrong.
     *
     * @param possible per-pair score of the possible video
     * @param impossible per-pair score of the impossible video, same order
     * @param groups per-pair group id, same order (empty: its own group)
     * @param relativeTolerance ties are {@code |impossible - possible| <= tol * (|possible| + |impossible|)}
     * @return number of tied groups
     */
    public static int groupedTies(double[] possible, double[] impossible, String[] groups, double relativeTolerance) {
        int ties = 0;
        for (double[] s : groupSums(possible, impossible, groups)) {
            if (Math.abs(s[1] - s[0]) <= relativeTolerance * (Math.abs(s[0]) + Math.abs(s[1]))) {
                ties++;
            }
        }
        return ties;
    }

    /** Per group {possible sum, impossible sum}, in first-seen order; a pair without a group id is its own group. */
    private static Collection<double[]> groupSums(double[] possible, double[] impossible, String[] groups) {
        if (possible.length != impossible.length || possible.length != groups.length) {
            throw new IllegalArgumentException(possible.length + " possible scores, " + impossible.length
                    + " impossible scores and " + groups.length + " group ids");
        }
        Map<String, double[]> sums = new LinkedHashMap<>(); // group -> {possible sum, impossible sum}
        for (int i = 0; i < possible.length; i++) {
            String key = groups[i] == null || groups[i].isEmpty() ? "\u0000pair" + i : "g:" + groups[i];
            double[] s = sums.computeIfAbsent(key, k -> new double[2]);
            s[0] += possible[i];
            s[1] += impossible[i];
        }
        return sums.values();
    }

    /**
     * Counts the groups of {@link #groupedAccuracy}.
     *
     * @param groups per-pair group id (empty: its own group)
     * @return number of groups
     */
    public static int groupCount(String[] groups) {
        Set<String> named = new HashSet<>();
        int own = 0;
        for (String g : groups) {
            if (g == null || g.isEmpty()) {
                own++;
            } else {
                named.add(g);
            }
        }
        return own + named.size();
    }

    /**
     * Single-video ("absolute") test: area under the ROC curve of a score that should be higher for impossible
     * videos (the reference uses max surprise). Ties count one half (Mann-Whitney).
     *
     * @param positives scores of impossible videos
     * @param negatives scores of possible videos
     * @return AUROC in [0, 1], NaN if either side is empty
     */
    public static double auroc(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            return Double.NaN;
        }
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positives.length * negatives.length);
    }

    /**
     * Sample standard deviation.
     *
     * @param values the sample
     * @return the standard deviation (0 for fewer than two values)
     */
    public static double sd(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }
}
