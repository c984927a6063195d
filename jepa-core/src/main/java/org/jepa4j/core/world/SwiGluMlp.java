package org.jepa4j.core.world;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.model.Linear;
import org.jepa4j.core.model.Module;

/**
 * SwiGLU feed-forward of the reference ({@code SwiGLUFFN}, used with {@code use_silu}):
 * {@code fc3(SiLU(fc1(x)) * fc2(x))}; with {@code wide_silu} the hidden width is {@code 2/3} of the given one,
 * rounded up to a multiple of 8.
 */
final class SwiGluMlp implements Module {

    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;

    SwiGluMlp(NDManager manager, Random random, int width, int hidden, boolean wide) {
        int h = hidden;
        if (wide) {
            h = (int) (2 * hidden / 3.0);
            h = (h + 7) / 8 * 8;
        }
        fc1 = new Linear(manager, random, width, h, true);
        fc2 = new Linear(manager, random, width, h, true);
        fc3 = new Linear(manager, random, h, width, true);
    }

    /**
     * Applies the feed-forward network.
     *
     * @param x {@code [..., width]}
     * @return {@code [..., width]}
     */
    NDArray forward(NDArray x) {
        NDArray h = fc1.forward(x); // [..., hidden]
        NDArray gate = h.mul(Activation.sigmoid(h)); // SiLU (no scalar operand on the autograd path)
        return fc3.forward(gate.mul(fc2.forward(x))); // [..., hidden] -> [..., width]
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        fc1.collectParameters(prefix + "fc1.", out);
        fc2.collectParameters(prefix + "fc2.", out);
        fc3.collectParameters(prefix + "fc3.", out);
    }
}
