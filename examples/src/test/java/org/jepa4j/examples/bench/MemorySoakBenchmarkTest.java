package org.jepa4j.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The RSS trend of the soak is a least-squares slope: a line is recovered, a single spike barely moves it. */
class MemorySoakBenchmarkTest {

    @Test
    void slopeRecoversALineAndShrugsOffOneSpike() {
        List<Long> steps = List.of(1000L, 2000L, 3000L, 4000L, 5000L);
        assertEquals(0.002, MemorySoakBenchmark.slope(steps, List.of(402.0, 404.0, 406.0, 408.0, 410.0)), 1e-12);
        double flatWithLastSpike = MemorySoakBenchmark.slope(steps, List.of(400.0, 400.0, 400.0, 400.0, 430.0));
        assertEquals(0.006, flatWithLastSpike, 1e-12); // 30 MB at the end: 6 MB per 1000 steps, not 7.5 end-to-end
        assertEquals(0.0, MemorySoakBenchmark.slope(List.of(1L), List.of(5.0)), 0.0);
    }
}
