package org.jepa4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The PyTorch engine loads from the bundled CPU natives and computes. */
class EngineSmokeTest {

    @Test
    void pytorchEngineComputesAMatmul() {
        assertEquals("PyTorch", Engine.getInstance().getEngineName());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray b = a.matMul(a);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {7, 10, 15, 22}, b.toFloatArray());
        }
    }
}
