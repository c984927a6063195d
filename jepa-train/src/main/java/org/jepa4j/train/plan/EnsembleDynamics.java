package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.function.Function;

/**
 * Several world models imagining together, as one: an ensemble of predictors trained the same way from different
 * seeds. A candidate's energy is the mean of the members' energies, each member rolling the candidate out on its
 * own ({@link LatentDynamics#energy}), so a plan scores well only when the members agree that it reaches the goal;
 * a rollout (for error measurements) is the mean of the members' imagined tokens. Members share the encoder: their
 * tokens and goals are the same arrays. Planning with M members costs M rollouts per candidate batch.
 */
public final class EnsembleDynamics implements LatentDynamics {

    private final List<LatentDynamics> members;

    /**
     * Creates an ensemble.
     *
     * @param members the world models (at least one), all taking actions of the same dimension
     * @throws IllegalArgumentException if there is no member or their action dimensions differ
     */
    public EnsembleDynamics(List<? extends LatentDynamics> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        int a = members.get(0).actionDim();
        for (int i = 1; i < members.size(); i++) {
            if (members.get(i).actionDim() != a) {
                throw new IllegalArgumentException("ensemble member " + i + " takes actions of dimension "
                        + members.get(i).actionDim() + " but member 0 takes " + a);
            }
        }
        this.members = List.copyOf(members);
    }

    /** @return the number of members */
    public int size() {
        return members.size();
    }

    @Override
    public int actionDim() {
        return members.get(0).actionDim();
    }

    @Override
    public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
        NDList each = new NDList(members.size());
        for (LatentDynamics d : members) {
            each.add(d.rollout(tokens, state, actions).expandDims(0)); // [1, S, H, N, D]
        }
        return NDArrays.concat(each, 0).mean(new int[] {0}); // [S, H, N, D]
    }

    @Override
    public NDArray energy(NDArray tokens, NDArray state, NDArray actions, NDArray goal, EnergyMode mode) {
        return meanEnergy(d -> d.energy(tokens, state, actions, goal, mode));
    }

    @Override
    public NDArray energy(NDArray tokens, NDArray state, NDArray actions, NDArray goal, EnergyMode mode,
            Repulsion repulsion) {
        return meanEnergy(d -> d.energy(tokens, state, actions, goal, mode, repulsion));
    }

    /** The mean over the members of each member's energies {@code [S]}. */
    private NDArray meanEnergy(Function<LatentDynamics, NDArray> energy) {
        NDArray sum = null;
        for (LatentDynamics d : members) {
            NDArray e = energy.apply(d); // [S]
            sum = sum == null ? e : sum.add(e);
        }
        return sum.div(members.size()); // [S]
    }
}
