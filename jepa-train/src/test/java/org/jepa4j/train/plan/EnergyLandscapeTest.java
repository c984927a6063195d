package org.jepa4j.train.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnergyLandscapeTest {

    @Test
    void theMinimumIsAtTheActionThatReachesTheGoal(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            LinearLatentDynamics dyn = new LinearLatentDynamics(m, 4, 8, 2, 21);
            NDArray z0 = m.randomNormal(new Shape(4, 8));
            double[][] truth = {{0.25, -0.5}};
            NDArray goal = dyn.apply(z0, truth);
            EnergyLandscape land = EnergyLandscape.around(dyn, z0, new double[2], goal, truth, 0, 1, 0.5, 11,
                    EnergyMode.LAST_FRAME);
            assertArrayEquals(truth[0], land.argmin(), 1e-9);
            assertTrue(dyn.calls == 1, "one batched rollout for the whole grid");
            String table = land.table();
            assertTrue(table.contains("minimum at (0.250, -0.500)"), table);
            Path png = dir.resolve("landscape.png");
            land.writePng(png, "linear world");
            assertTrue(Files.size(png) > 1000);
            assertThrows(IllegalArgumentException.class, () -> EnergyLandscape.around(dyn, z0, new double[2], goal,
                    truth, 0, 0, 0.5, 11, EnergyMode.LAST_FRAME));
        }
    }
}
