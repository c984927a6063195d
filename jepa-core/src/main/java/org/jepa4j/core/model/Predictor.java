package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jepa4j.core.tensor.ParameterType;

/**
 * JEPA predictor: maps context features to the predictor width, appends learned mask tokens at the target
 * ids, runs pre-norm blocks over [context, targets] (positions from the ids: sin-cos tables added, or 3D RoPE),
 * applies a LayerNorm, keeps the target outputs and maps them back to the encoder width.
 *
 * <p>Parameter names (V-JEPA reference): {@code predictor_embed.weight/bias}, {@code mask_tokens.i}
 * ({@code [1, 1, width]}), {@code predictor_pos_embed} (LEARNED only), {@code predictor_blocks.i.*},
 * {@code predictor_norm.weight/bias}, {@code predictor_proj.weight/bias}.
 */
public final class Predictor implements Module {

    private final PredictorConfig config;
    private final Linear embed;
    private final List<NDArray> maskTokens;
    private final TokenPositions positions; // tables added to the tokens, or RoPE tables
    private final List<Block> blocks;
    private final LayerNorm norm;
    private final Linear proj;
    private final DataType dataType; // of parameters, buffers and activations

    /**
     * Creates a predictor with the reference initialization from a seed.
     *
     * @param config hyper-parameters
     * @param manager owner of all parameters
     * @param seed seed of the initial weights
     */
    public Predictor(PredictorConfig config, NDManager manager, long seed) {
        this(config, manager, new Random(seed));
    }

    /**
     * Creates a predictor: trunc-normal (std 0.02) Linear weights, zero biases, LayerNorm 1/0, mask tokens zero
     * or trunc-normal, block output projections rescaled by {@code 1/sqrt(2 i)}.
     *
     * @param config hyper-parameters
     * @param manager owner of all parameters
     * @param random source of the initial weights
     */
    public Predictor(PredictorConfig config, NDManager manager, Random random) {
        this.config = config;
        this.dataType = ParameterType.current();
        int d = config.width();
        embed = new Linear(manager, random, config.encoderWidth(), d, true);
        List<NDArray> tokens = new ArrayList<>();
        for (int i = 0; i < config.numMaskTokens(); i++) {
            tokens.add(config.zeroInitMaskTokens() ? Init.constant(manager, 0f, 1, 1, d)
                    : Init.truncNormal(manager, random, Init.STD, 1, 1, d));
        }
        maskTokens = Collections.unmodifiableList(tokens);
        positions = new TokenPositions(manager, random, config.positionKind(), config.grid(), d, config.headDim(),
                config.uniformPower());
        blocks = Block.stack(manager, random, config.depth(), d, config.numHeads(), config.mlpHidden(),
                config.qkvBias(), config.layerNormEps());
        norm = new LayerNorm(manager, d, config.layerNormEps());
        proj = new Linear(manager, random, d, config.encoderWidth(), true);
    }

    /**
     * Predicts the features of the target tokens on the configured grid.
     *
     * @param context encoder features of the context tokens {@code [B, Nc, encoderWidth]}
     * @param contextIds int64 {@code [B, Nc]} ids of the context tokens
     * @param targetIds int64 {@code [B, Nt]} ids of the tokens to predict
     * @param maskIndex which mask token to use (taken modulo the number of tokens)
     * @return predictions {@code [B, Nt, encoderWidth]}, in the order of {@code targetIds}
     */
    public NDArray forward(NDArray context, NDArray contextIds, NDArray targetIds, int maskIndex) {
        return forward(context, contextIds, targetIds, maskIndex, config.grid());
    }

    /**
     * Predicts the features of the target tokens on an explicit grid (RoPE models accept any input size).
     *
     * @param context {@code [B, Nc, encoderWidth]}
     * @param contextIds int64 {@code [B, Nc]}
     * @param targetIds int64 {@code [B, Nt]}
     * @param maskIndex mask token index (modulo the count)
     * @param grid the token grid the ids refer to
     * @return {@code [B, Nt, encoderWidth]}
     */
    public NDArray forward(NDArray context, NDArray contextIds, NDArray targetIds, int maskIndex, TokenGrid grid) {
        Shape cs = context.getShape();
        if (cs.dimension() != 3 || cs.get(2) != config.encoderWidth()) {
            throw new IllegalArgumentException("Predictor context must be [B, Nc, " + config.encoderWidth()
                    + "], got shape " + cs);
        }
        if (context.getDataType() != dataType) {
            throw new IllegalArgumentException("Predictor context is " + context.getDataType()
                    + " but the predictor's parameters are " + dataType);
        }
        long b = cs.get(0);
        long nc = cs.get(1);
        grid.checkIds(contextIds, b, "contextIds");
        grid.checkIds(targetIds, b, "targetIds");
        if (contextIds.getShape().get(1) != nc) {
            throw new IllegalArgumentException("contextIds " + contextIds.getShape() + " do not match context " + cs);
        }
        long nt = targetIds.getShape().get(1);
        int d = config.width();
        NDManager m = context.getManager();

        NDArray x = embed.forward(context); // [B, Nc, d]
        NDArray mask = maskTokens.get(Math.floorMod(maskIndex, maskTokens.size())).broadcast(b, nt, d);
        mask.attach(m);
        x = positions.addTo(x, contextIds, grid); // [B, Nc, d] + table rows (sin-cos / learned kinds)
        NDArray targets = positions.addTo(mask, targetIds, grid); // [B, Nt, d]
        NDArray tokens = x.concat(targets, 1); // [B, N, d], N = Nc + Nt
        NDArray ids = contextIds.concat(targetIds, 1); // [B, N]
        NDArray order = null;
        if (config.sortTokens()) {
            order = ids.argSort(1); // [B, N]
            ids = ids.gather(order, 1);
            tokens = tokens.gather(broadcastIndex(order, d), 1);
        }
        try (Rope3D rope = positions.rope(ids, grid)) { // [B, 1, N, hd] (RoPE kind), else null
            for (Block block : blocks) {
                tokens = block.forward(tokens, rope); // [B, N, d]
            }
        }
        NDArray out;
        if (order != null) {
            NDArray where = order.argSort(1).get(new NDIndex(":, {}:", nc)); // [B, Nt] sorted positions of targets
            out = tokens.gather(broadcastIndex(where, d), 1); // [B, Nt, d]
        } else {
            out = tokens.get(new NDIndex(":, {}:", nc));
        }
        return proj.forward(norm.forward(out)); // [B, Nt, encoderWidth]
    }

    private static NDArray broadcastIndex(NDArray ids, int width) {
        Shape s = ids.getShape();
        return ids.reshape(s.get(0), s.get(1), 1).broadcast(s.get(0), s.get(1), width);
    }

    /**
     * Returns the configuration.
     *
     * @return the configuration
     */
    public PredictorConfig config() {
        return config;
    }

    /**
     * Returns the type of the parameters, of the expected context and of the predictions.
     *
     * @return the type of the parameters, of the expected context and of the predictions
     */
    public DataType dataType() {
        return dataType;
    }

    @Override
    public void collectParameters(String prefix, Map<String, NDArray> out) {
        embed.collectParameters(prefix + "predictor_embed.", out);
        for (int i = 0; i < maskTokens.size(); i++) {
            out.put(prefix + "mask_tokens." + i, maskTokens.get(i));
        }
        if (positions.learnedTable() != null) {
            out.put(prefix + "predictor_pos_embed", positions.learnedTable());
        }
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).collectParameters(prefix + "predictor_blocks." + i + ".", out);
        }
        norm.collectParameters(prefix + "predictor_norm.", out);
        proj.collectParameters(prefix + "predictor_proj.", out);
    }
}
