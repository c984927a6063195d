package org.jepa4j.train.physics;

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
