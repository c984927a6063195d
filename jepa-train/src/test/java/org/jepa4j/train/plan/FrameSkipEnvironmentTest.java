package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.video.synthetic.PlanningTask;
import org.jepa4j.video.synthetic.TwoRoomSpec;
import org.junit.jupiter.api.Test;

class FrameSkipEnvironmentTest {

    /** Records the actions it is given. */
    private static final class Recording implements PlanningEnvironment {
        final List<double[]> acts = new ArrayList<>();
        NDArray tokens;

        @Override
        public NDArray observe(NDManager manager) {
            return tokens;
        }

        @Override
        public double[] state() {
            return new double[] {0.25, 0.5};
        }

        @Override
        public void act(double[] action) {
            acts.add(action.clone());
        }

        @Override
        public boolean reached() {
            return acts.size() == 3;
        }
    }

    @Test
    void oneModelActionIsFrameStepEqualActionsSummingToIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            Recording inner = new Recording();
            inner.tokens = m.zeros(new ai.djl.ndarray.types.Shape(2, 3));
            FrameSkipEnvironment env = new FrameSkipEnvironment(inner, 3);
            env.act(new double[] {0.3, -0.6});
            assertEquals(3, inner.acts.size());
            for (double[] a : inner.acts) {
                assertArrayEquals(new double[] {0.1, -0.2}, a, 1e-12);
            }
            assertTrue(env.reached(), "reached is the inner environment's");
            assertSame(inner.tokens, env.observe(m));
            assertArrayEquals(new double[] {0.25, 0.5}, env.state());
            assertEquals(3, env.frameStep());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> new FrameSkipEnvironment(inner, 0));
            assertTrue(bad.getMessage().contains("frameStep"), bad.getMessage());
        }
    }

    @Test
    void aPlannerOnAFrameSkipModelExecutesEveryActionOfTheEpisodeInFewerReplans() {
        TwoRoomSpec spec = TwoRoomSpec.defaults();
        PlanningTask task = PlanningTask.sample(spec, 1, 77).get(0);
        try (NDManager m = NDManager.newBaseManager()) {
            LatentDynamics still = CopyLastDynamics.INSTANCE; // imagines nothing moving: any plan scores the same
            CemPlanner planner = new CemPlanner(still, CemConfig.builder(2, 2 * spec.maxActionReach() / spec.size())
                    .optHorizon(3).optSamples(8).optTopK(2).optIterations(1).optSeed(3).build());
            TwoRoomEnvironment env = new TwoRoomEnvironment(spec, task, PixelTokens.ENCODER,
                    TwoRoomEvaluation.SUCCESS_RADIUS);
            ModelPredictiveControl.Outcome o = TwoRoomPolicy.planner("plan", planner, 1, true, 2, m).drive(env, 12);
            assertEquals(12, o.actions(), "every action of the episode, counted in the environment's actions");
            assertEquals(6, o.replans(), "one model action (two of the environment's) per replan");
            assertEquals(13, env.path().size(), "the start and one position per executed action");
            assertThrows(IllegalArgumentException.class, () -> TwoRoomPolicy.planner("plan", planner, 1, true, 0, m));
        }
    }
}
