package org.jepa4j.train.plan;

/**
 * The result of one planning call.
 *
 * @param actions the planned sequence {@code [H][A]} (the final CEM mean, within bounds)
 * @param energy energy of the best candidate scored in the last iteration
 * @param millis wall time of the call in milliseconds
 */
public record Plan(double[][] actions, double energy, double millis) {

    /**
     * The first planned action.
     *
     * @return {@code [A]}
     */
    public double[] first() {
        return actions[0].clone();
    }
}
