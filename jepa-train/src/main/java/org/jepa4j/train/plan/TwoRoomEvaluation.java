package org.jepa4j.train.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;

/**
 * Runs a policy on a list of two-room tasks and summarizes success overall, on same-room and on cross-room
 * tasks, the final distance to the goal and the planning time.
 *
 * <p>Episodes have a fixed length (the policy's action budget) and success is judged where the agent is at the
 * end: within {@link #SUCCESS_RADIUS} of the goal, as PLDM and DINO-WM score their wall tasks. An agent that passes
 * through the goal and wanders off has not reached it; {@link Report#passedGoalRate()} reports how often that
 * weaker event happens (a random walk "reaches" nearby goals that way).
 */
public final class TwoRoomEvaluation {

    /**
     * Success radius: the agent's centre within 4 px of the goal at the end of the episode (DINO-WM's wall task
     * uses 4.5 px; here the agent has radius 3 px and is drawn with sigma 3 px, so 4 px means the disc overlaps
     * the goal's disc by more than half).
     */
    public static final double SUCCESS_RADIUS = 4.0;

    private TwoRoomEvaluation() {}

    /**
     * One episode's result.
     *
     * @param task the task
     * @param reached whether the goal was reached
     * @param finalDistance distance to the goal at the end, in pixels
     * @param path positions visited
     * @param outcome the controller's statistics
     */
    public record EpisodeResult(PlanningTask task, boolean reached, double finalDistance, List<double[]> path,
            ModelPredictiveControl.Outcome outcome) {

        /** @return whether the path came within {@link #SUCCESS_RADIUS} of the goal at some point */
        public boolean passedGoal() {
            return path.stream().anyMatch(p -> Math.hypot(p[0] - task.goal()[0], p[1] - task.goal()[1])
                    < SUCCESS_RADIUS);
        }
    }

    /**
     * A policy's results on a list of tasks.
     *
     * @param policy the policy's name
     * @param episodes every episode's result, in task order
     */
    public record Report(String policy, List<EpisodeResult> episodes) {

        /** @return fraction of all episodes that reached the goal */
        public double successRate() {
            return rate(null);
        }

        /** @return fraction of same-room episodes that reached the goal */
        public double sameRoomSuccessRate() {
            return rate(false);
        }

        /** @return fraction of cross-room episodes that reached the goal */
        public double crossRoomSuccessRate() {
            return rate(true);
        }

        /**
         * Number of episodes of a kind.
         *
         * @param cross true for cross-room, false for same-room
         * @return the count
         */
        public int count(boolean cross) {
            return (int) episodes.stream().filter(e -> e.task().crossRoom() == cross).count();
        }

        /**
         * Fraction of episodes whose path came within {@link #SUCCESS_RADIUS} of the goal at some point, ending
         * there or not.
         *
         * @return the fraction of all episodes
         */
        public double passedGoalRate() {
            return episodes.stream().filter(EpisodeResult::passedGoal).count() / (double) Math.max(1, episodes.size());
        }

        /** @return mean final distance to the goal */
        public double meanFinalDistance() {
            return episodes.stream().mapToDouble(EpisodeResult::finalDistance).average().orElse(Double.NaN);
        }

        /** @return mean planning time per replan, over all replans, in milliseconds (0 without planning) */
        public double millisPerReplan() {
            double ms = episodes.stream().mapToDouble(e -> e.outcome().planMillis()).sum();
            int n = episodes.stream().mapToInt(e -> e.outcome().replans()).sum();
            return n == 0 ? 0 : ms / n;
        }

        /** @return the fraction of replans made with the stall escape's repulsion on (0 without replans) */
        public double escapeRate() {
            int escapes = episodes.stream().mapToInt(e -> e.outcome().escapes()).sum();
            int n = episodes.stream().mapToInt(e -> e.outcome().replans()).sum();
            return n == 0 ? 0 : escapes / (double) n;
        }

        /** @return mean wall time per episode in milliseconds */
        public double millisPerEpisode() {
            return episodes.stream().mapToDouble(e -> e.outcome().totalMillis()).average().orElse(0);
        }

        private double rate(Boolean cross) {
            List<EpisodeResult> sel = episodes.stream()
                    .filter(e -> cross == null || e.task().crossRoom() == cross).toList();
            return sel.isEmpty() ? Double.NaN : sel.stream().filter(EpisodeResult::reached).count()
                    / (double) sel.size();
        }
    }

    /**
     * Runs {@code policy} on every task.
     *
     * @param spec the world's settings
     * @param tasks the tasks
     * @param policy the policy
     * @param encoder frame encoder of the environments (null for policies that do not look at frames)
     * @param maxActions largest number of actions per episode
     * @param progress called with the index of each finished episode (may be null)
     * @return the report
     */
    public static Report run(TwoRoomSpec spec, List<PlanningTask> tasks, TwoRoomPolicy policy, ObservationEncoder encoder,
            int maxActions, IntConsumer progress) {
        List<EpisodeResult> results = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            TwoRoomEnvironment env = new TwoRoomEnvironment(spec, tasks.get(i), encoder, SUCCESS_RADIUS);
            ModelPredictiveControl.Outcome outcome = policy.drive(env, maxActions);
            results.add(new EpisodeResult(tasks.get(i), env.reached(), env.distanceToGoal(), env.path(), outcome));
            if (progress != null) {
                progress.accept(i);
            }
        }
        return new Report(policy.name(), results);
    }
}
