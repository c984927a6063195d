package org.jepa4j.train.plan;

import ai.djl.ndarray.types.Shape;

/** A pixel "encoder" for tests of the two-room world: no network, positions read off the frame directly. */
final class PixelTokens {

    /** 16 tokens (4 x 4 patches of 16 px), each the 4 x 4 x 3 block means of its patch: {@code [16, 48]}. */
    static final ObservationEncoder ENCODER = (m, rgb, size) -> {
        int p = size / 4;
        int b = p / 4;
        float[] out = new float[16 * 48];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int token = (y / p) * 4 + x / p;
                int cell = ((y % p) / b) * 4 + (x % p) / b;
                for (int c = 0; c < 3; c++) {
                    out[token * 48 + cell * 3 + c] += (rgb[3 * (y * size + x) + c] & 0xff) / (255f * b * b);
                }
            }
        }
        return m.create(out, new Shape(16, 48)); // [N, D]
    };

    private PixelTokens() {
    }
}
