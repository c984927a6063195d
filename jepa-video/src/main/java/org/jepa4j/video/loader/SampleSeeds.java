package org.jepa4j.video.loader;

/**
 * Derives independent 64-bit seeds from (loader seed, epoch, position, attempt), so every sample and
 * every batch has its own random stream whatever thread serves it.
 */
final class SampleSeeds {

    /** Stream tags keep sample, batch and shuffle streams apart. */
    static final long SAMPLE = 0x5A3D_1E5F_0000_0001L;
    static final long REPLACE = 0x5A3D_1E5F_0000_0002L;
    static final long MASKS = 0x5A3D_1E5F_0000_0003L;
    static final long SHUFFLE = 0x5A3D_1E5F_0000_0004L;

    private SampleSeeds() {
    }

    /** A well-mixed seed from the given parts (SplitMix64 finalizer applied after each part). */
    static long derive(long seed, long stream, long... parts) {
        long h = mix(seed ^ 0x9E37_79B9_7F4A_7C15L);
        h = mix(h ^ stream);
        for (long p : parts) {
            h = mix(h + 0x9E37_79B9_7F4A_7C15L + p);
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
