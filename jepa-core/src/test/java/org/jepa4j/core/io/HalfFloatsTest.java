package org.jepa4j.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** F16 and BF16 conversions: known bit patterns, and every half round-trips exactly. */
class HalfFloatsTest {

    @Test
    void halfKnownValues() {
        assertEquals(1.0f, HalfFloats.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, HalfFloats.halfToFloat((short) 0xC000));
        assertEquals(65504.0f, HalfFloats.halfToFloat((short) 0x7BFF));
        assertEquals((float) Math.pow(2, -24), HalfFloats.halfToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(1023 * (float) Math.pow(2, -24), HalfFloats.halfToFloat((short) 0x03FF)); // largest subnormal
        assertEquals((float) Math.pow(2, -14), HalfFloats.halfToFloat((short) 0x0400)); // smallest normal
        assertEquals(0.333251953125f, HalfFloats.halfToFloat((short) 0x3555));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.halfToFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.halfToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(HalfFloats.halfToFloat((short) 0x7E00)));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfFloats.halfToFloat((short) 0x8000)));
    }

    @Test
    void everyHalfRoundTripsThroughFloat() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.halfToFloat((short) h);
            short back = HalfFloats.floatToHalf(f);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.halfToFloat(back)), "NaN stays NaN for " + Integer.toHexString(h));
            } else {
                assertEquals((short) h, back, "half 0x" + Integer.toHexString(h) + " = " + f);
            }
        }
    }

    @Test
    void halfRoundingIsNearestEven() {
        // 1 + 2^-11 is exactly between 1 (0x3C00, even) and 1 + 2^-10 (0x3C01): ties to even -> 0x3C00
        assertEquals((short) 0x3C00, HalfFloats.floatToHalf(1f + (float) Math.pow(2, -11)));
        // 1 + 3*2^-11 is between 0x3C01 (odd) and 0x3C02 (even) -> 0x3C02
        assertEquals((short) 0x3C02, HalfFloats.floatToHalf(1f + 3 * (float) Math.pow(2, -11)));
        assertEquals((short) 0x7BFF, HalfFloats.floatToHalf(65519f)); // below the midpoint to infinity
        assertEquals((short) 0x7C00, HalfFloats.floatToHalf(65520f)); // the midpoint rounds to even = infinity
        assertEquals((short) 0x0000, HalfFloats.floatToHalf((float) Math.pow(2, -25))); // half the smallest: tie -> 0
        assertEquals((short) 0x0001, HalfFloats.floatToHalf(1.5f * (float) Math.pow(2, -25)));
        assertEquals((short) 0x8000, HalfFloats.floatToHalf(-0.0f));
    }

    @Test
    void bfloat16IsTheUpperHalfOfFloat32() {
        assertEquals(1.0f, HalfFloats.bfloat16ToFloat((short) 0x3F80));
        assertEquals(-2.0f, HalfFloats.bfloat16ToFloat((short) 0xC000));
        assertEquals(3.140625f, HalfFloats.bfloat16ToFloat((short) 0x4049));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.bfloat16ToFloat((short) 0xFF80));
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.bfloat16ToFloat((short) b);
            if (!Float.isNaN(f)) {
                assertEquals((short) b, HalfFloats.floatToBfloat16(f));
            }
        }
        // 1 + 2^-8 lies between 1 (0x3F80, even) and 1 + 2^-7 (0x3F81): tie -> even
        assertEquals((short) 0x3F80, HalfFloats.floatToBfloat16(1f + (float) Math.pow(2, -8)));
        assertTrue(Float.isNaN(HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(Float.NaN))));
    }
}
