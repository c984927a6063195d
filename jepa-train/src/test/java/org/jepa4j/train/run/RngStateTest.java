package org.jepa4j.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RngStateTest {

    @Test
    void restoredGeneratorContinuesExactly() {
        Random r = new Random(1234);
        for (int i = 0; i < 17; i++) {
            r.nextInt();
        }
        r.nextGaussian(); // leaves a cached second Gaussian
        String state = RngState.capture(r);
        Random copy = RngState.restore(state);
        for (int i = 0; i < 100; i++) {
            assertEquals(r.nextGaussian(), copy.nextGaussian());
            assertEquals(r.nextLong(), copy.nextLong());
            assertEquals(r.nextDouble(), copy.nextDouble());
        }
    }

    @Test
    void rejectsGarbageAndOtherClasses() {
        assertThrows(IllegalArgumentException.class, () -> RngState.restore("not base64!!"));
        assertThrows(IllegalArgumentException.class, () -> RngState.restore("AAAA"));
        assertThrows(IllegalArgumentException.class, () -> RngState.capture(new SecureRandom()));
    }
}
