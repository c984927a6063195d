package org.jepa4j.core.world;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.model.Attention;
import org.jepa4j.core.model.KeyValueCache;
import org.jepa4j.core.model.LayerNorm;
import org.jepa4j.core.model.Mlp;
import org.jepa4j.core.model.Module;
import org.jepa4j.core.model.Rope3D;

/**
 * One pre-norm block of the action-conditioned predictor (the reference's {@code ACBlock}):
 * {@code x + attn(norm1(x))} with the block-causal mask and the predictor's RoPE tables, then
 * {@code x + mlp(norm2(x))} (GELU MLP, or SwiGLU with {@code use_silu}).
 */
final class AcBlock implements Module {

    /** LayerNorm epsilon of the reference ({@code partial(nn.LayerNorm, eps=1e-6)}). */
    static final float EPS = 1e-6f;

    private final LayerNorm norm1;
    private final Attention attn;
    private final LayerNorm norm2;
    private final Mlp mlp;
    private final SwiGluMlp swiGlu;

    AcBlock(NDManager manager, Random random, AcPredictorConfig c, int layer) {
        int d = c.predictorEmbedDim();
        norm1 = new LayerNorm(manager, d, EPS);
        attn = new Attention(manager, random, d, c.numHeads(), true);
        norm2 = new LayerNorm(manager, d, EPS);
        if (c.useSilu()) {
            swiGlu = new SwiGluMlp(manager, random, d, c.mlpHidden(), c.wideSilu());
            mlp = null;
        } else {
            mlp = new Mlp(manager, random, d, c.mlpHidden());
            swiGlu = null;
        }
        // reference _rescale_blocks: attn.proj.weight and mlp.fc2.weight divided by sqrt(2 * layer_id), 1-based
        float f = (float) (1.0 / Math.sqrt(2.0 * layer));
        Map<String, NDArray> p = parameters();
        for (String name : new String[] {"attn.proj.weight", "mlp.fc2.weight"}) {
            NDArray w = p.get(name);
            try (NDArray scaled = w.mul(f)) {
                scaled.copyTo(w);
            }
        }
    }

    /**
     * Applies the block.
     *
     * @param x tokens {@code [B, N, D]}
     * @param rope rotary tables of the N tokens, or null
     * @param mask additive attention mask {@code [N, N]}, or null
     * @return {@code [B, N, D]}
     */
    NDArray forward(NDArray x, Rope3D rope, NDArray mask) {
        x = x.add(attn.forward(norm1.forward(x), rope, mask)); // [B, N, D]
        NDArray h = norm2.forward(x);
        return x.add(mlp != null ? mlp.forward(h) : swiGlu.forward(h)); // [B, N, D]
    }

    /**
     * Applies the block to one new step's tokens, attending over the cached keys and values of the earlier steps
     * (and appending this step's).
     *
     * @param x the new step's tokens {@code [B, n, D]}
     * @param rope rotary tables of the n tokens, or null
     * @param cache this block's key/value cache
     * @return {@code [B, n, D]}
     */
    NDArray forwardStep(NDArray x, Rope3D rope, KeyValueCache cache) {
        x = x.add(attn.forwardCached(norm1.forward(x), rope, cache)); // [B, n, D]
        NDArray h = norm2.forward(x);
        return x.add(mlp != null ? mlp.forward(h) : swiGlu.forward(h)); // [B, n, D]
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        norm1.collectParameters(prefix + "norm1.", out);
        attn.collectParameters(prefix + "attn.", out);
        norm2.collectParameters(prefix + "norm2.", out);
        if (mlp != null) {
            mlp.collectParameters(prefix + "mlp.", out);
        } else {
            swiGlu.collectParameters(prefix + "mlp.", out);
        }
    }
}
