package org.jepa4j.train.plan;

import java.util.Random;

/**
 * Gaussian noise with a power-law spectrum {@code 1/f^beta} along a sequence: iCEM's "coloured" sampling noise
 * (Pinneri et al. 2020, "Sample-efficient cross-entropy method for real-time planning"), a port of the
 * {@code colorednoise.powerlaw_psd_gaussian} routine that iCEM uses: random Fourier coefficients scaled by
 * {@code f^(-beta/2)} (frequencies below {@code 1/n} raised to {@code 1/n}) and an inverse real DFT, divided by
 * the exact std of an element so each has unit variance (colorednoise's normalization is approximate: about 1.23
 * for white noise of length 8). {@code beta = 0} is white noise; 1 is pink; 2 is red
 * (Brownian-like): neighbouring steps of a sequence are then strongly correlated.
 */
public final class ColouredNoise {

    private ColouredNoise() {}

    /**
     * Draws one sequence.
     *
     * @param n length of the sequence (the planning horizon)
     * @param beta spectrum exponent ({@code >= 0})
     * @param rng source of the Gaussian coefficients
     * @return {@code [n]} values of unit variance (in expectation)
     */
    public static double[] sample(int n, double beta, Random rng) {
        if (n < 1 || !(beta >= 0)) {
            throw new IllegalArgumentException("need n >= 1 and beta >= 0, got " + n + ", " + beta);
        }
        if (n == 1) {
            return new double[] {rng.nextGaussian()};
        }
        int nf = n / 2 + 1; // rfft frequencies k / n, k = 0..n/2
        double fmin = 1.0 / n;
        double[] scale = new double[nf];
        for (int f = 0; f < nf; f++) {
            scale[f] = Math.pow(Math.max((double) f / n, fmin), -beta / 2);
        }
        // the std of each element of the inverse transform below: the zero frequency (doubled variance) and, for
        // even n, the Nyquist frequency (doubled variance) enter once, every other frequency twice (as c and c*)
        double var = 2 * scale[0] * scale[0];
        for (int f = 1; f < nf; f++) {
            var += (n % 2 == 0 && f == nf - 1) ? 2 * scale[f] * scale[f] : 4 * scale[f] * scale[f];
        }
        double sigma = Math.sqrt(var) / n;
        double[] re = new double[nf];
        double[] im = new double[nf];
        for (int f = 0; f < nf; f++) {
            re[f] = scale[f] * rng.nextGaussian();
            im[f] = scale[f] * rng.nextGaussian();
        }
        if (n % 2 == 0) {
            im[nf - 1] = 0;
            re[nf - 1] *= Math.sqrt(2);
        }
        im[0] = 0;
        re[0] *= Math.sqrt(2);
        double[] y = new double[n];
        for (int t = 0; t < n; t++) { // inverse real DFT (numpy's irfft), n is a planning horizon: direct sum
            double v = re[0];
            for (int f = 1; f < nf; f++) {
                double angle = 2 * Math.PI * f * t / n;
                double c = re[f] * Math.cos(angle) - im[f] * Math.sin(angle);
                v += (n % 2 == 0 && f == nf - 1) ? c : 2 * c;
            }
            y[t] = v / n / sigma;
        }
        return y;
    }
}
