package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;

/**
 * A way to drive the agent of a {@link TwoRoomEnvironment} toward its goal: the latent planner, or one of the
 * baselines (random actions; greedy steps straight toward the goal using the true positions).
 */
public interface TwoRoomPolicy {

    /**
     * Drives one fixed-length episode of {@code maxActions} actions (the episode does not end when the agent passes
     * the goal: success is judged where the agent is at the end).
     *
     * @param env the environment at its start
     * @param maxActions largest number of actions
     * @return the planning statistics of the episode (zero replans for the baselines)
     */
    ModelPredictiveControl.Outcome drive(TwoRoomEnvironment env, int maxActions);

    /**
     * Name used in reports.
     *
     * @return a short name
     */
    String name();

    /**
     * Greedy control on true positions: every action is the largest step straight toward the goal (it slides along
     * the wall but never plans around it).
     *
     * @return the policy
     */
    static TwoRoomPolicy greedy() {
        return new TwoRoomPolicy() {
            @Override
            public ModelPredictiveControl.Outcome drive(TwoRoomEnvironment env, int maxActions) {
                long start = System.nanoTime();
                int n = 0;
                double reach = env.world().spec().maxActionReach();
                while (n < maxActions) {
                    double[] p = env.position();
                    double dx = env.task().goal()[0] - p[0];
                    double dy = env.task().goal()[1] - p[1];
                    double d = Math.hypot(dx, dy);
                    double scale = d > reach ? reach / d : 1; // the last step lands on the goal
                    env.actPixels(new double[] {dx * scale, dy * scale});
                    n++;
                }
                return new ModelPredictiveControl.Outcome(env.reached(), n, 0, 0, (System.nanoTime() - start) / 1e6);
            }

            @Override
            public String name() {
                return "greedy";
            }
        };
    }

    /**
     * Random actions: uniform in the disc of the largest step.
     *
     * @param seed seed of the actions
     * @return the policy
     */
    static TwoRoomPolicy random(long seed) {
        Random rng = new Random(seed);
        return new TwoRoomPolicy() {
            @Override
            public ModelPredictiveControl.Outcome drive(TwoRoomEnvironment env, int maxActions) {
                long start = System.nanoTime();
                int n = 0;
                double max = env.world().spec().maxActionReach();
                while (n < maxActions) {
                    double angle = rng.nextDouble() * 2 * Math.PI;
                    double r = max * Math.sqrt(rng.nextDouble());
                    env.actPixels(new double[] {r * Math.cos(angle), r * Math.sin(angle)});
                    n++;
                }
                return new ModelPredictiveControl.Outcome(env.reached(), n, 0, 0, (System.nanoTime() - start) / 1e6);
            }

            @Override
            public String name() {
                return "random";
            }
        };
    }

    /**
     * Latent planning: model-predictive control with a CEM planner toward the encoded goal image.
     *
     * @param name name used in reports
     * @param planner the planner (its dynamics must work on the environment's encoder's tokens)
     * @param executeSteps planned actions executed per replan
     * @param warmStart whether each replan starts from the shifted previous plan
     * @param manager owner of per-episode arrays
     * @return the policy
     */
    static TwoRoomPolicy planner(String name, CemPlanner planner, int executeSteps, boolean warmStart,
            NDManager manager) {
        return planner(name, planner, executeSteps, warmStart, 1, manager);
    }

    /**
     * Latent planning with a world model trained with a frame skip: each planned action is executed as
     * {@code frameStep} equal actions ({@link FrameSkipEnvironment}), so an episode of {@code maxActions} actions
     * gets {@code maxActions / frameStep} planned ones.
     *
     * @param name name used in reports
     * @param planner the planner (its dynamics must work on the environment's encoder's tokens)
     * @param executeSteps planned actions executed per replan
     * @param warmStart whether each replan starts from the shifted previous plan
     * @param frameStep the world model's {@code data.frame_step} (at least 1)
     * @param manager owner of per-episode arrays
     * @return the policy
     */
    static TwoRoomPolicy planner(String name, CemPlanner planner, int executeSteps, boolean warmStart, int frameStep,
            NDManager manager) {
        return planner(name, planner, executeSteps, warmStart, frameStep, null, manager);
    }

    /**
     * A planning policy as {@link #planner(String, CemPlanner, int, boolean, int, NDManager)} that escapes local
     * minima of the goal energy ({@link ModelPredictiveControl.Builder#optEscape}).
     *
     * @param name the policy's name
     * @param planner the CEM planner
     * @param executeSteps planned actions executed before replanning
     * @param warmStart whether each replan starts from the previous plan
     * @param frameStep world actions per model action (&gt;= 1)
     * @param escape the stall escape, or null for none
     * @param manager parent of each episode's arrays
     * @return the policy
     * @throws IllegalArgumentException if frameStep &lt; 1
     */
    static TwoRoomPolicy planner(String name, CemPlanner planner, int executeSteps, boolean warmStart, int frameStep,
            StallEscape escape, NDManager manager) {
        if (frameStep < 1) {
            throw new IllegalArgumentException("frameStep must be >= 1, got " + frameStep);
        }
        return new TwoRoomPolicy() {
            @Override
            public ModelPredictiveControl.Outcome drive(TwoRoomEnvironment env, int maxActions) {
                try (NDManager episode = manager.newSubManager()) {
                    NDArray goal = env.goalTokens(episode); // [N, D]
                    PlanningEnvironment skipping = frameStep == 1 ? env : new FrameSkipEnvironment(env, frameStep);
                    ModelPredictiveControl.Outcome o = ModelPredictiveControl.builder().setPlanner(planner)
                            .optExecuteSteps(executeSteps).optMaxActions(Math.max(1, maxActions / frameStep))
                            .optStopWhenReached(false).optWarmStart(warmStart).optEscape(escape).build()
                            .run(skipping, goal);
                    return new ModelPredictiveControl.Outcome(o.reached(), o.actions() * frameStep, o.replans(),
                            o.planMillis(), o.totalMillis(), o.escapes());
                }
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /**
     * Latent planning with a perfect world model ({@link TwoRoomPerfectDynamics}: the true simulator, its frames
     * encoded by {@code encoder}): the same planner settings and controller as {@link #planner}, so its success is
     * what the planner and its energy reach when the world model makes no error.
     *
     * @param config the planner's settings
     * @param executeSteps planned actions executed per replan
     * @param warmStart whether each replan starts from the shifted previous plan
     * @param escape the stall escape ({@link ModelPredictiveControl.Builder#optEscape}), or null for none
     * @param encoder the encoder of the world model being diagnosed
     * @param manager owner of per-episode arrays
     * @return the policy, named {@code perfect_model}
     */
    static TwoRoomPolicy perfectModel(CemConfig config, int executeSteps, boolean warmStart, StallEscape escape,
            ObservationEncoder encoder, NDManager manager) {
        return new TwoRoomPolicy() {
            @Override
            public ModelPredictiveControl.Outcome drive(TwoRoomEnvironment env, int maxActions) {
                CemPlanner planner = new CemPlanner(new TwoRoomPerfectDynamics(env.world(), encoder), config);
                return planner("perfect_model", planner, executeSteps, warmStart, 1, escape, manager)
                        .drive(env, maxActions);
            }

            @Override
            public String name() {
                return "perfect_model";
            }
        };
    }
}
