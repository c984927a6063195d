package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.jepa4j.video.synthetic.TwoRoomWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planning machinery (CEM, MPC, evaluation, baselines, pictures) on the two-room world with a known model: the
 * true simulator behind a fixed smooth position code (Gaussian bumps on an 8 x 8 grid of centres, one token).
 */
class TwoRoomPlanningTest {

    private static final TwoRoomSpec SPEC = TwoRoomSpec.defaults();

    /** Position code: one token of 64 Gaussian bumps of width 12 px. */
    private static float[] code(double[] p) {
        float[] f = new float[64];
        for (int i = 0; i < 64; i++) {
            double cx = 4 + 8 * (i % 8);
            double cy = 4 + 8 * (i / 8);
            f[i] = (float) Math.exp(-((p[0] - cx) * (p[0] - cx) + (p[1] - cy) * (p[1] - cy)) / (2 * 144.0));
        }
        return f;
    }

    /** The simulator as latent dynamics of the code; states are positions in arena units. */
    private static final class Simulator implements LatentDynamics {
        private final TwoRoomWorld world;

        Simulator(TwoRoomWorld world) {
            this.world = world;
        }

        @Override
        public int actionDim() {
            return 2;
        }

        @Override
        public NDArray rollout(NDArray tokens, NDArray state, NDArray actions) {
            float[] s0 = state.toFloatArray();
            float[] a = actions.toFloatArray();
            int s = (int) actions.getShape().get(0);
            int h = (int) actions.getShape().get(1);
            float[] out = new float[s * h * 64];
            for (int i = 0; i < s; i++) {
                double[] p = {s0[0] * SPEC.size(), s0[1] * SPEC.size()};
                for (int t = 0; t < h; t++) {
                    int o = (i * h + t) * 2;
                    p = world.step(p, new double[] {a[o] * SPEC.size(), a[o + 1] * SPEC.size()});
                    System.arraycopy(code(p), 0, out, (i * h + t) * 64, 64);
                }
            }
            return actions.getManager().create(out, new Shape(s, h, 1, 64));
        }
    }

    @Test
    void latentPlanningWithAKnownModelReachesGoalsAndBeatsRandom(@TempDir Path dir) throws Exception {
        List<PlanningTask> tasks = PlanningTask.sample(SPEC, 6, 4242);
        double bound = SPEC.maxActionReach() / SPEC.size();
        ObservationEncoder encoder = (m, rgb, size) -> {
            throw new AssertionError("not used");
        };
        try (NDManager m = NDManager.newBaseManager()) {
            TwoRoomEvaluation.Report plan;
            java.util.List<TwoRoomEvaluation.EpisodeResult> results = new java.util.ArrayList<>();
            for (PlanningTask task : tasks) {
                CemPlanner planner = new CemPlanner(new Simulator(task.world(SPEC)), CemConfig.builder(2, bound)
                        .optHorizon(4).optSamples(100).optTopK(10).optIterations(4)
                        .optEnergyMode(EnergyMode.ALL_FRAMES).optSeed(1).build());
                TwoRoomEnvironment env = new TwoRoomEnvironment(SPEC, task, null, TwoRoomEvaluation.SUCCESS_RADIUS);
                PlanningEnvironment scaled = coded(env);
                NDArray goal = m.create(code(task.goal()), new Shape(1, 64));
                ModelPredictiveControl.Outcome o = ModelPredictiveControl.builder().setPlanner(planner)
                        .optMaxActions(40).build().run(scaled, goal);
                assertEquals(o.actions(), env.path().size() - 1);
                results.add(new TwoRoomEvaluation.EpisodeResult(task, env.reached(), env.distanceToGoal(), env.path(),
                        o));
            }
            plan = new TwoRoomEvaluation.Report("plan", results);
            TwoRoomEvaluation.Report random = TwoRoomEvaluation.run(SPEC, tasks, TwoRoomPolicy.random(3), encoder,
                    40, null);
            TwoRoomEvaluation.Report greedy = TwoRoomEvaluation.run(SPEC, tasks, TwoRoomPolicy.greedy(), encoder,
                    40, null);
            assertEquals(1.0, plan.sameRoomSuccessRate(), "same-room episodes with a known model: " + summary(plan));
            assertTrue(plan.successRate() > random.successRate(), summary(plan) + " vs " + summary(random));
            assertEquals(1.0, greedy.sameRoomSuccessRate(), summary(greedy));
            // fixed-length episodes scored at the end: every baseline episode runs all 40 actions
            assertTrue(random.episodes().stream().allMatch(e -> e.path().size() == 41), "fixed-length episodes");
            assertTrue(random.passedGoalRate() >= random.successRate(), "passing the goal is the weaker event");
            assertTrue(plan.millisPerReplan() > 0);
            Path png = dir.resolve("paths.png");
            PathPictures.write(png, SPEC, plan, 6);
            assertTrue(Files.size(png) > 1000);
        }
    }

    /** The environment observed through the known code of the agent's position (no rendering, no encoder). */
    private static PlanningEnvironment coded(TwoRoomEnvironment env) {
        return new PlanningEnvironment() {
            @Override
            public NDArray observe(NDManager manager) {
                return manager.create(code(env.position()), new Shape(1, 64));
            }

            @Override
            public double[] state() {
                return env.state();
            }

            @Override
            public void act(double[] action) {
                env.act(action);
            }

            @Override
            public boolean reached() {
                return env.reached();
            }
        };
    }

    @Test
    void aFixedLengthWarmStartedEpisodeReachesAndHoldsTheGoal() {
        PlanningTask task = PlanningTask.sample(SPEC, 1, 4242).get(0); // same-room
        double bound = SPEC.maxActionReach() / SPEC.size();
        try (NDManager m = NDManager.newBaseManager()) {
            CemPlanner planner = new CemPlanner(new Simulator(task.world(SPEC)), CemConfig.builder(2, bound)
                    .optHorizon(4).optSamples(100).optTopK(10).optIterations(4)
                    .optEnergyMode(EnergyMode.ALL_FRAMES).optSeed(1).build());
            TwoRoomEnvironment env = new TwoRoomEnvironment(SPEC, task, null, TwoRoomEvaluation.SUCCESS_RADIUS);
            NDArray goal = m.create(code(task.goal()), new Shape(1, 64));
            ModelPredictiveControl.Outcome o = ModelPredictiveControl.builder().setPlanner(planner)
                    .optExecuteSteps(2).optMaxActions(12).optStopWhenReached(false).optWarmStart(true).build()
                    .run(coded(env), goal);
            assertEquals(12, o.actions(), "all actions of the episode are executed");
            assertEquals(6, o.replans(), "two actions per replan");
            assertTrue(o.reached(), "at the goal at the end, distance " + env.distanceToGoal());
        }
    }

    private static String summary(TwoRoomEvaluation.Report r) {
        return String.format("%s: all %.2f same %.2f cross %.2f dist %.1f", r.policy(), r.successRate(),
                r.sameRoomSuccessRate(), r.crossRoomSuccessRate(), r.meanFinalDistance());
    }
}
