package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Turns one RGB frame into the tokens a world model works on (a frozen encoder, in practice). */
@FunctionalInterface
public interface ObservationEncoder {

    /**
     * Encodes a frame.
     *
     * @param manager owner of the returned array
     * @param rgb row-major {@code [size, size, 3]} RGB24 bytes
     * @param size width and height
     * @return tokens {@code [N, D]}
     */
    NDArray encode(NDManager manager, byte[] rgb, int size);
}
