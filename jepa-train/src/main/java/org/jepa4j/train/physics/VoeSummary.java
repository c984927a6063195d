package org.jepa4j.train.physics;

import java.util.List;

/**
 * The scores of one measurement over a set of pairs.
 *
 * @param pairs number of pairs
 * @param groups number of groups (equal to {@code pairs} when no pair has a group id)
 * @param pairwiseAccuracy fraction of groups whose impossible videos have the higher summed mean surprise (for
 *     ungrouped pairs: fraction of pairs with mean surprise higher for the impossible video)
 * @param pairLevelAccuracy fraction of pairs with mean surprise higher for the impossible video, ignoring groups
 * @param auroc AUROC of max surprise over single videos, impossible videos positive
 * @param ties groups (or ungrouped pairs) whose possible and impossible mean surprises are equal within
 *     {@value #TIE_TOLERANCE} of their sum; the strict pairwise test counts them as wrong
 */
public record VoeSummary(int pairs, int groups, double pairwiseAccuracy, double pairLevelAccuracy, double auroc,
        int ties) {

    /** Relative tolerance under which a group's two summed surprises count as a tie. */
    public static final double TIE_TOLERANCE = 1e-6;

    /** Returns whether some pairs were scored in groups (then the two accuracies may differ). */
    public boolean grouped() {
        return groups != pairs;
    }

    /**
     * Scores pairs of video surprises, each pair its own group.
     *
     * @param possible surprise of each pair's possible video
     * @param impossible surprise of each pair's impossible video, same order
     * @return the summary
     */
    public static VoeSummary of(List<VideoSurprise> possible, List<VideoSurprise> impossible) {
        return of(possible, impossible, new String[possible.size()]);
    }

    /**
     * Scores pairs of video surprises in groups ({@link VoeScores#groupedAccuracy}).
     *
     * @param possible surprise of each pair's possible video
     * @param impossible surprise of each pair's impossible video, same order
     * @param groups group id of each pair, same order (null or empty: its own group)
     * @return the summary
     */
    public static VoeSummary of(List<VideoSurprise> possible, List<VideoSurprise> impossible, String[] groups) {
        int n = possible.size();
        double[] pm = new double[n];
        double[] im = new double[n];
        double[] px = new double[n];
        double[] ix = new double[n];
        for (int i = 0; i < n; i++) {
            pm[i] = possible.get(i).mean();
            im[i] = impossible.get(i).mean();
            px[i] = possible.get(i).max();
            ix[i] = impossible.get(i).max();
        }
        return new VoeSummary(n, VoeScores.groupCount(groups), VoeScores.groupedAccuracy(pm, im, groups),
                VoeScores.pairwiseAccuracy(pm, im), VoeScores.auroc(ix, px),
                VoeScores.groupedTies(pm, im, groups, TIE_TOLERANCE));
    }
}
