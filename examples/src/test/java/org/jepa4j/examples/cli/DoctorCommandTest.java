package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code jepa4j doctor} on the CPU: the setup is printed and every self-test check passes. */
class DoctorCommandTest {

    @Test
    void printsTheSetupAndPassesEveryCheckOnTheCpu() {
        Cli.Result r = Cli.run("doctor", "--device", "cpu");
        assertEquals(0, r.code(), r.toString());
        for (String expected : new String[] {"java ", "djl ", "libtorch ", "from ", "devices ", "PYTORCH_LIBRARY_PATH",
            "OMP_WAIT_POLICY", "ffmpeg ", "PASS forward/backward", "PASS float16 matmul", "PASS decode one frame",
            "all checks passed"}) {
            assertTrue(r.out().replaceAll(" +", " ").contains(expected), expected + " missing in:\n" + r.out());
        }
    }

    @Test
    void aBadDeviceIsAUsageError() {
        Cli.Result r = Cli.run("doctor", "--device", "tpu");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--device"), r.err());
    }
}
