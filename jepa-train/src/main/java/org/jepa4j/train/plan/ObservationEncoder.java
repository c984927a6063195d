package org.jepa4j.train.plan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

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

    /**
     * Encodes several frames; encoders that run a network override this to encode them in one batch.
     *
     * @param manager owner of the returned array
     * @param frames row-major {@code [size, size, 3]} RGB24 bytes each
     * @param size width and height
     * @return tokens {@code [F, N, D]}
     */
    default NDArray encodeAll(NDManager manager, List<byte[]> frames, int size) {
        NDList each = new NDList(frames.size());
        for (byte[] rgb : frames) {
            each.add(encode(manager, rgb, size).expandDims(0)); // [1, N, D]
        }
        return NDArrays.concat(each, 0); // [F, N, D]
    }
}
