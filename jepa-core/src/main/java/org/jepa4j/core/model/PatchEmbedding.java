package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;

/**
 * Patch (image) or tubelet (video) embedding, {@code proj.weight [D, C, p, p]} or {@code [D, C, t, p, p]}
 * as a Conv2d/Conv3d with kernel == stride would hold it. Because the kernel equals the stride it is computed
 * as a reshape/permute into patch vectors followed by one matmul, and only the kept tokens are projected.
 */
public final class PatchEmbedding implements Module {

    private final NDArray weight;
    private final NDArray bias;
    private final int width;
    private final int patchVector;

    /**
     * Creates the projection (trunc-normal std 0.02 weight, zero bias).
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param config encoder configuration
     */
    public PatchEmbedding(NDManager manager, Random random, VitConfig config) {
        int p = config.patchSize();
        width = config.width();
        if (config.isVideo()) {
            weight = Init.truncNormal(manager, random, Init.STD, width, config.inChannels(), config.tubeletSize(), p, p);
        } else {
            weight = Init.truncNormal(manager, random, Init.STD, width, config.inChannels(), p, p);
        }
        bias = Init.constant(manager, 0f, width);
        patchVector = Math.toIntExact(weight.getShape().size() / width);
    }

    /**
     * Embeds the patches of {@code pixels}.
     *
     * @param pixels {@code [B, C, T, H, W]} (video) or {@code [B, C, H, W]} (image), already validated
     * @param grid the token grid of {@code pixels}
     * @param keepIds int64 {@code [B, K]} ids to embed, or null for all tokens
     * @return {@code [B, N or K, D]}
     */
    public NDArray forward(NDArray pixels, TokenGrid grid, NDArray keepIds) {
        Shape s = pixels.getShape();
        long b = s.get(0);
        long c = s.get(1);
        NDArray patches;
        if (s.dimension() == 5) {
            long t = s.get(2) / grid.depth();
            long p = s.get(3) / grid.height();
            patches = pixels.reshape(b, c, grid.depth(), t, grid.height(), p, grid.width(), p)
                    .transpose(0, 2, 4, 6, 1, 3, 5, 7) // [B, T', H', W', C, t, p, p]
                    .reshape(b, grid.numTokens(), patchVector); // [B, N, C*t*p*p]
        } else {
            long p = s.get(2) / grid.height();
            patches = pixels.reshape(b, c, grid.height(), p, grid.width(), p)
                    .transpose(0, 2, 4, 1, 3, 5) // [B, H', W', C, p, p]
                    .reshape(b, grid.numTokens(), patchVector); // [B, N, C*p*p]
        }
        if (keepIds != null) {
            Shape ks = keepIds.getShape();
            NDArray index = keepIds.reshape(ks.get(0), ks.get(1), 1).broadcast(ks.get(0), ks.get(1), patchVector);
            patches = patches.gather(index, 1); // [B, K, C*t*p*p]
        }
        if (patches.getDataType() != weight.getDataType()) {
            patches = patches.toType(weight.getDataType(), false); // float32 pixels -> parameter type (no grad needed)
        }
        NDArray w = weight.reshape(width, patchVector); // [D, C*t*p*p], a view
        w.attach(pixels.getManager()); // per-call temporary: not owned by the model's manager
        return ai.djl.nn.core.Linear.linear(patches, w, bias).singletonOrThrow(); // [B, K, D]
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        out.put(prefix + "weight", weight);
        out.put(prefix + "bias", bias);
    }
}
