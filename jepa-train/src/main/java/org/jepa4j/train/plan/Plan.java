package org.jepa4j.train.plan;

/**
 * The result of one planning call.
 *
 * @param actions the planned sequence {@code [H][A]} (the final CEM mean within bounds, or with
 *     {@link CemConfig#returnBest()} the best sequence scored)
 * @param energy energy of the best candidate scored in the last iteration (with {@link CemConfig#returnBest()}: of
 *     the best sequence scored in any iteration)
 * @param millis wall time of the call in milliseconds
 * @param bestPerIteration the lowest energy in each iteration's pool {@code [iterations]} (empty when the planner
 *     held still at the goal without searching: then {@code energy} is the observed tokens' energy)
 * @param elites the elites kept at the end {@code [E][H][A]}, best first ({@link CemConfig#keptElites()} of them;
 *     empty without {@link CemConfig#keepElites()}): shifted, they seed the next replan
 */
public record Plan(double[][] actions, double energy, double millis, double[] bestPerIteration,
        double[][][] elites) {

    /**
     * A plan without per-iteration statistics or kept elites.
     *
     * @param actions the planned sequence {@code [H][A]}
     * @param energy energy of the best candidate scored
     * @param millis wall time of the call in milliseconds
     */
    public Plan(double[][] actions, double energy, double millis) {
        this(actions, energy, millis, new double[0], new double[0][][]);
    }

    /**
     * The first planned action.
     *
     * @return {@code [A]}
     */
    public double[] first() {
        return actions[0].clone();
    }
}
