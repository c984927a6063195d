package org.jepa4j.train.physics;

/**
 * The scores of one measurement over a set of pairs.
 *
 * @param pairs number of pairs
 * @param pairwiseAccuracy fraction of pairs with mean surprise higher for the impossible video
 * @param auroc AUROC of max surprise, impossible videos positive
 */
public record VoeSummary(int pairs, double pairwiseAccuracy, double auroc) {

    /**
     * Scores pairs of video surprises.
     *
     * @param possible surprise of each pair's possible video
     * @param impossible surprise of each pair's impossible video, same order
     * @return the summary
     */
    public static VoeSummary of(java.util.List<VideoSurprise> possible, java.util.List<VideoSurprise> impossible) {
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
        return new VoeSummary(n, VoeScores.pairwiseAccuracy(pm, im), VoeScores.auroc(ix, px));
    }
}
