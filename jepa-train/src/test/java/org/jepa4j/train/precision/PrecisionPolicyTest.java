package org.jepa4j.train.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.train.config.Precision;
import org.junit.jupiter.api.Test;

/** Policy resolution, the native environment helper and master weights. */
class PrecisionPolicyTest {

    @Test
    void autoResolvesPerDevice() {
        assertEquals(Precision.FP32, PrecisionPolicy.resolve(Precision.AUTO, Device.cpu()).precision());
        PrecisionPolicy gpu = PrecisionPolicy.resolve(Precision.AUTO, Device.gpu());
        assertEquals(Precision.FP16_MIXED, gpu.precision());
        assertEquals(DataType.FLOAT16, gpu.computeType());
        assertEquals(DataType.FLOAT32, gpu.targetType());
        assertEquals(DataType.FLOAT16, gpu.withFp16Target(true).targetType());
        assertTrue(gpu.newLossScaler().isEnabled());
        PrecisionPolicy cpu16 = PrecisionPolicy.resolve(Precision.FP16_MIXED, Device.cpu());
        assertTrue(cpu16.isMixed(), "explicit fp16-mixed is kept on the CPU");
        PrecisionPolicy fp32 = PrecisionPolicy.resolve(Precision.FP32, Device.cpu()).withFp16Target(true);
        assertEquals(DataType.FLOAT32, fp32.targetType(), "an fp16 target only exists with fp16-mixed");
        assertFalse(fp32.newLossScaler().isEnabled());
        assertTrue(PrecisionPolicy.resolve(Precision.TF32, Device.gpu()).usesTf32());
        assertFalse(PrecisionPolicy.resolve(Precision.TF32, Device.cpu()).usesTf32());
    }

    @Test
    void tf32OnTheCpuDoesNotTouchTheEnvironment() {
        String before = NativeEnvironment.get(PrecisionPolicy.TF32_ENV);
        assertFalse(PrecisionPolicy.resolve(Precision.TF32, Device.cpu()).prepareProcess());
        assertEquals(before, NativeEnvironment.get(PrecisionPolicy.TF32_ENV));
    }

    @Test
    void nativeEnvironmentIsSeenByNativeCode() {
        String name = "JEPA4J_TEST_VAR_" + ProcessHandle.current().pid();
        assertNull(NativeEnvironment.get(name));
        NativeEnvironment.set(name, "1");
        assertEquals("1", NativeEnvironment.get(name));
        assertNull(System.getenv(name), "System.getenv is a snapshot from JVM start");
        NativeEnvironment.unset(name);
        assertNull(NativeEnvironment.get(name));
        assertThrows(IllegalArgumentException.class, () -> NativeEnvironment.set("A=B", "1"));
    }

    @Test
    void mastersAreFloat32CopiesAndRoundIntoCompute() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray exact = m.create(new float[] {1.0001f, -3.14159f, 1e-6f, 70000f}, new Shape(2, 2));
            NDArray w16 = m.zeros(new Shape(2, 2), DataType.FLOAT16);
            w16.setRequiresGradient(true);
            NDArray frozen16 = m.ones(new Shape(3), DataType.FLOAT16);
            Map<String, NDArray> compute = new LinkedHashMap<>();
            compute.put("w", w16);
            compute.put("frozen", frozen16);
            Map<String, NDArray> init = new LinkedHashMap<>();
            init.put("w", exact);
            init.put("frozen", m.ones(new Shape(3)));
            try (MasterWeights mw = MasterWeights.fromValues(compute, init)) {
                assertTrue(mw.hasSeparateMasters());
                NDArray master = mw.masters().get("w");
                assertEquals(DataType.FLOAT32, master.getDataType());
                assertTrue(master.hasGradient(), "trainable like its compute parameter");
                assertFalse(mw.masters().get("frozen").hasGradient());
                assertEquals(exact, master, "masters hold the exact float32 values");
                float[] c = w16.toType(DataType.FLOAT32, false).toFloatArray();
                assertEquals(1.0f, c[0], "1.0001 rounds to 1 in float16");
                assertEquals(Float.POSITIVE_INFINITY, c[3], "70000 exceeds float16");
                master.set(new ai.djl.ndarray.index.NDIndex("0, 0"), 2.5f);
                mw.copyToCompute();
                assertEquals(2.5f, w16.toType(DataType.FLOAT32, false).toFloatArray()[0]);
                assertThrows(IllegalArgumentException.class, () -> mw.masters("encoder."));
            }
            NDArray w32 = m.zeros(new Shape(2));
            try (MasterWeights same = MasterWeights.fromCompute(Map.of("w", w32))) {
                assertFalse(same.hasSeparateMasters());
                assertTrue(same.masters().get("w") == w32, "float32 compute parameters are their own masters");
            }
            Map<String, NDArray> mixed = new LinkedHashMap<>();
            mixed.put("a", w32);
            mixed.put("b", w16);
            assertThrows(IllegalArgumentException.class, () -> MasterWeights.fromCompute(mixed));
        }
    }
}
