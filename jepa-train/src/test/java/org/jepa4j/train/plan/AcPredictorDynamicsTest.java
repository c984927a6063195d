package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.jepa4j.core.world.AcPredictorConfig;
import org.jepa4j.core.world.ActionConditionedPredictor;
import org.junit.jupiter.api.Test;

class AcPredictorDynamicsTest {

    // 32 px, patch 16: 4 tokens per frame of width 16; 8 frames / tubelet 2 = up to 4 steps; actions of dimension 2
    private static final AcPredictorConfig CONFIG = new AcPredictorConfig(32, 32, 16, 8, 2, 16, 32, 2, 4, 2.0, 2,
            true, true, false, false, false);

    @Test
    void rollsOutAutoregressivelyWithAnalyticStatesAndBatchesCandidates() {
        try (NDManager m = NDManager.newBaseManager()) {
            ActionConditionedPredictor predictor = new ActionConditionedPredictor(CONFIG, m, 3);
            AcPredictorDynamics dyn = new AcPredictorDynamics(predictor);
            NDArray z0 = GoalEnergy.layerNorm(m.randomNormal(new Shape(4, 16))); // [N, D]
            NDArray s0 = m.create(new float[] {0.2f, 0.5f});
            NDArray actions = m.randomNormal(new Shape(3, 3, 2)).mul(0.1); // [S, H, A]
            NDArray out = dyn.rollout(z0, s0, actions);
            assertEquals(new Shape(3, 3, 4, 16), out.getShape());

            // candidate 1 alone gives the same imagined frames as in the batch
            NDArray alone = dyn.rollout(z0, s0, actions.get("1:2"));
            assertArrayEquals(out.get("1:2").toFloatArray(), alone.toFloatArray(), 1e-4f);

            // the second imagined frame by hand: predictor on [z0, imagined frame 1] with states s0, s0 + a0
            NDArray a = actions.get("1:2"); // [1, H, A]
            NDArray seq = z0.expandDims(0).concat(out.get("1:2, 0"), 1); // [1, 2N, D]
            NDArray states = s0.reshape(1, 1, 2).concat(s0.reshape(1, 1, 2).add(a.get(":, 0:1")), 1); // [1, 2, A]
            NDArray byHand = GoalEnergy.layerNorm(predictor.forward(seq, a.get(":, :2"), states, null).get(":, 4:"));
            assertArrayEquals(byHand.toFloatArray(), out.get("1:2, 1").toFloatArray(), 1e-4f);

            assertThrows(IllegalArgumentException.class, () -> dyn.rollout(z0, m.zeros(new Shape(3)), actions));
        }
    }
}
