package org.jepa4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jepa4j.core.model.PositionKind;
import org.junit.jupiter.api.Test;

/** Runs both core benchmarks at toy sizes: they must finish and report finite, positive figures. */
class BenchmarksTest {

    @Test
    void encoderBenchmarkReportsFiniteRatios() {
        EncoderBenchmark.Result r = EncoderBenchmark.run(1, 4, 32, 1, PositionKind.ROPE_3D);
        assertEquals(8, r.contextTokens() + r.targetTokens(), "4 frames x 32 px -> 2 x 2 x 2 tokens");
        assertPositive(r.gflopPerStep(), r.secondsPerStep(), r.modelGflops(), r.matmulGflops(), r.ratio());
    }

    @Test
    void blockStackBenchmarkComparesThreeVariants() {
        BlockStackBenchmark.Result r = BlockStackBenchmark.run(1, 8, 2, 1, 1);
        assertEquals(3, r.variants().size());
        for (BlockStackBenchmark.Variant v : r.variants()) {
            assertPositive(v.secondsPerStep(), v.gflops(), v.ratio());
        }
        // the analytic count: 3 x (qkv + proj + MLP + attention products) for 8 tokens of width 384
        double forward = 2.0 * 8 * 384 * (4 * 384 + 2 * 1536) + 4.0 * 8 * 8 * 384;
        assertEquals(3 * forward / 1e9, r.gflopPerStep(), 1e-12);
        assertTrue(r.toString().contains("DJL TransformerEncoder"), r.toString());
    }

    private static void assertPositive(double... values) {
        for (double v : values) {
            assertTrue(Double.isFinite(v) && v > 0, "expected a finite positive figure, got " + v);
        }
    }
}
