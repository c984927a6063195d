package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Attentive pooler of the V-JEPA 2 probe: self-attention {@link Block}s over the tokens, then one
 * {@link CrossAttentionBlock} from learned query tokens. Parameter names (V-JEPA 2 reference):
 * {@code query_tokens [1, Q, D]}, {@code blocks.i.*}, {@code cross_attention_block.*}.
 */
public final class AttentivePooler implements Module {

    private final NDArray queryTokens;
    private final List<Block> blocks;
    private final CrossAttentionBlock crossAttentionBlock;

    /**
     * Creates a pooler: trunc-normal (std 0.02) query tokens and weights; the output projections of self-attention
     * block i (1-based) divided by {@code sqrt(2 i)}, the cross block's fc2 by {@code sqrt(2 (L + 1))}.
     *
     * @param manager owner of the parameters
     * @param random source of the initial weights
     * @param width token width
     * @param numHeads attention heads
     * @param selfAttentionBlocks number of self-attention blocks before the cross-attention (V-JEPA 2: 3)
     * @param numQueries number of learned queries (1 for classification)
     * @param mlpRatio MLP ratio
     * @param qkvBias whether the attention projections have biases
     * @param eps LayerNorm epsilon
     */
    public AttentivePooler(NDManager manager, Random random, int width, int numHeads, int selfAttentionBlocks,
            int numQueries, double mlpRatio, boolean qkvBias, float eps) {
        if (selfAttentionBlocks < 0 || numQueries <= 0) {
            throw new IllegalArgumentException("AttentivePooler needs selfAttentionBlocks >= 0 and numQueries > 0, got "
                    + selfAttentionBlocks + " and " + numQueries);
        }
        int hidden = VitConfig.mlpHidden(width, mlpRatio);
        queryTokens = Init.truncNormal(manager, random, Init.STD, 1, numQueries, width);
        List<Block> list = new ArrayList<>();
        for (int i = 0; i < selfAttentionBlocks; i++) {
            Block block = new Block(manager, random, width, numHeads, hidden, qkvBias, eps);
            block.rescale(i + 1);
            list.add(block);
        }
        blocks = Collections.unmodifiableList(list);
        crossAttentionBlock = new CrossAttentionBlock(manager, random, width, numHeads, hidden, qkvBias, eps);
        crossAttentionBlock.rescale(selfAttentionBlocks + 1);
    }

    /**
     * Pools the tokens.
     *
     * @param x tokens {@code [B, N, D]}
     * @return pooled {@code [B, Q, D]}
     */
    public NDArray forward(NDArray x) {
        for (Block block : blocks) {
            x = block.forward(x, null); // [B, N, D]
        }
        long b = x.getShape().get(0);
        NDArray queries = queryTokens.broadcast(b, queryTokens.getShape().get(1), queryTokens.getShape().get(2));
        queries.attach(x.getManager()); // [B, Q, D]
        return crossAttentionBlock.forward(queries, x);
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        out.put(prefix + "query_tokens", queryTokens);
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).collectParameters(prefix + "blocks." + i + ".", out);
        }
        crossAttentionBlock.collectParameters(prefix + "cross_attention_block.", out);
    }
}
