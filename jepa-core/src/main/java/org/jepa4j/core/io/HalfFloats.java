package org.jepa4j.core.io;

/**
 * Conversions between float32 and the two 16-bit float formats (IEEE half "F16" and bfloat16 "BF16"), done in Java
 * because Java 17 has no {@code Float.float16ToFloat} and DJL must never hold a BFLOAT16 tensor.
 * Widening is exact; narrowing rounds to nearest, ties to even, as PyTorch does.
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /**
     * Widens a bfloat16 value: its bits are the upper half of the float32 bits.
     *
     * @param bits the 16 bits of a bfloat16
     * @return the same value as a float
     */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /**
     * Narrows a float to bfloat16, rounding to nearest even; NaN stays a (quiet) NaN.
     *
     * @param value a float
     * @return the 16 bits of the nearest bfloat16
     */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040); // keep sign and top payload, force quiet bit
        }
        int lsb = (bits >>> 16) & 1;
        int rounded = bits + 0x7FFF + lsb;
        return (short) (rounded >>> 16);
    }

    /**
     * Widens an IEEE 754 half-precision value (1 sign, 5 exponent, 10 mantissa bits), subnormals, infinities and
     * NaN included.
     *
     * @param bits the 16 bits of a half
     * @return the same value as a float
     */
    public static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        int out;
        if (exp == 0x1F) { // infinity or NaN
            out = sign | 0x7F800000 | (mant << 13);
        } else if (exp != 0) { // normal: rebias 15 -> 127
            out = sign | ((exp + 112) << 23) | (mant << 13);
        } else if (mant == 0) { // signed zero
            out = sign;
        } else { // subnormal: mant * 2^-24, exact in float32
            float magnitude = mant * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(out);
    }

    /**
     * Narrows a float to IEEE half precision, rounding to nearest even; overflow gives infinity, NaN stays NaN.
     *
     * @param value a float
     * @return the 16 bits of the nearest half
     */
    public static short floatToHalf(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int absBits = f & 0x7FFFFFFF;
        if (absBits >= 0x7F800000) { // infinity or NaN
            int nan = absBits > 0x7F800000 ? 0x0200 | ((absBits >>> 13) & 0x3FF) : 0;
            return (short) (sign | 0x7C00 | nan);
        }
        if (absBits >= 0x477FF000) { // rounds to >= 65520: overflow to infinity
            return (short) (sign | 0x7C00);
        }
        if (absBits < 0x38800000) { // below the smallest normal half (2^-14): subnormal or zero
            // value = absValue / 2^-24 in units of the smallest subnormal; round half to even
            float abs = Float.intBitsToFloat(absBits);
            int units = (int) Math.rint(abs * 0x1p24f); // exact scaling by a power of two, rint = ties-to-even
            return (short) (sign | units);
        }
        // normal: drop 13 mantissa bits with round-to-nearest-even; a carry into the exponent is correct rounding
        int lsb = (absBits >>> 13) & 1;
        int rounded = absBits + 0x0FFF + lsb;
        int half = (rounded >>> 13) - ((127 - 15) << 10);
        return (short) (sign | half);
    }
}
