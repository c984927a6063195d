package org.jepa4j.train.plan;

/**
 * Escape from local minima of the goal energy during model-predictive control: while the observed energy has stopped
 * falling far from the goal, imagined frames near frames already observed in the episode are penalised, so the
 * planner prefers plans that lead somewhere new.
 *
 * <p>The goal energy (L1 of layer-normed tokens to the goal) is a distance in representation space, and a
 * representation distance is not a path length: in a world with walls, the spot facing the goal across a wall is a
 * local minimum, and any plan that walks toward a door first scores worse for several steps. Planning stalls there.
 * {@link ModelPredictiveControl} keeps the tokens of every frame it observed in the episode with an energy above
 * {@code farEnergy} (frames near the goal never repel, or an agent that passed the goal could not come back to it);
 * once the observed energy
 * has not fallen by {@code minProgress} for {@code patience} replans in a row, and while it is above
 * {@code farEnergy} (the agent is not near the goal, where holding still is right), each candidate's energy gains a
 * repulsion term
 *
 * <pre>
 *   weight * mean over imagined frames t of  sum over observed frames v of  exp(-L1(LN(z_t), LN(z_v)) / width)
 * </pre>
 *
 * (with {@link EnergyMode#LAST_FRAME} only the last imagined frame counts). The visited frames pile up where the agent
 * lingers, as the bias of metadynamics fills a free-energy basin, until a plan out of the basin scores better than
 * staying in it; once the observed energy falls again the term is switched off. No knowledge of the world enters:
 * only the encoder's tokens of frames the agent has seen. All values are in the encoder's energy units: measure them
 * as the goal tolerance is measured (the energy of frames a known distance from a goal).
 *
 * @param weight weight of the repulsion term (&gt; 0)
 * @param width energy scale of the kernel: imagined frames this far (in goal-energy units) from an observed frame
 *     feel {@code 1/e} of its repulsion (&gt; 0)
 * @param patience replans without progress before the repulsion is switched on (&gt;= 1)
 * @param minProgress decrease of the best observed energy that counts as progress (&gt;= 0)
 * @param farEnergy observed energy above which the agent counts as far from the goal; at or below it the repulsion
 *     stays off (&gt;= 0)
 */
public record StallEscape(double weight, double width, int patience, double minProgress, double farEnergy) {

    /** Validates the settings. */
    public StallEscape {
        if (!(weight > 0) || !(width > 0)) {
            throw new IllegalArgumentException("stall escape weight and width must be > 0, got " + weight + " and "
                    + width);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("stall escape patience must be >= 1 replan, got " + patience);
        }
        if (!(minProgress >= 0) || !(farEnergy >= 0)) {
            throw new IllegalArgumentException("stall escape minProgress and farEnergy must be >= 0, got "
                    + minProgress + " and " + farEnergy);
        }
    }

    /**
     * The settings in units of one measured energy {@code unit} (for example the goal tolerance: the energy of frames
     * with the agent a few pixels off the goal): weight {@code weight * unit}, width {@code 2.5 unit}, patience 2
     * replans, minimum progress {@code 0.25 unit}.
     *
     * @param weight weight in units of {@code unit} (&gt; 0)
     * @param unit the energy unit (&gt; 0)
     * @param farEnergy observed energy above which the repulsion may switch on (&gt;= 0)
     * @return the settings
     * @throws IllegalArgumentException if a value is out of range
     */
    public static StallEscape inUnits(double weight, double unit, double farEnergy) {
        if (!(unit > 0)) {
            throw new IllegalArgumentException("the energy unit must be > 0, got " + unit);
        }
        return new StallEscape(weight * unit, 2.5 * unit, 2, 0.25 * unit, farEnergy);
    }
}
