package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * I-JEPA multiblock 2D masking (behaviour of {@code src/masks/multiblock.py} in facebookresearch/ijepa).
 *
 * <p>Per batch: one target block size and one context block size are drawn. Each size uses a single uniform
 * number for both its scale and its aspect ratio, exactly like the reference (so large target blocks are
 * also the tallest); {@code h = round(sqrt(area * ar))}, {@code w = round(sqrt(area / ar))}, then reduced
 * until strictly smaller than the grid. Per sample: each target block gets a top-left corner in
 * {@code [0, H - h) x [0, W - w)} (the reference's exclusive bound: the last row/column offset is never
 * used); each context block gets a position and, unless {@code allowOverlap}, loses every token covered by the
 * sample's target blocks. A block must keep more than {@code minKeep} tokens; after 20 failed positions the
 * context drops its constraint against the last target block, after 20 more against the last two, and so on
 * (the reference's timeout/shrink behaviour).
 *
 * <p><b>Output representation.</b> In I-JEPA every target block is its own prediction target: the predictor
 * runs once per (context block, target block) pair. {@link #sample} therefore returns one {@link MaskSet}
 * per pair, target-major: index {@code p * numContextBlocks + e} holds context block {@code e} and target
 * block {@code p}. With the default single context block that is one set per target block, all four sharing
 * the <em>same</em> {@code context} array instance (treat it as read-only). As in the reference, all target
 * blocks of the batch are cut to the shortest target block, all context blocks to the shortest context.
 *
 * <p>All randomness comes from the {@code rng} passed to {@link #sample}; instances are immutable and thread-safe.
 */
public final class MultiBlock2dMaskGenerator implements MaskGenerator {

    /** Failed positions before the context drops one more target-block constraint (reference: 20). */
    public static final int TIMEOUT = 20;

    private static final Logger LOG = LoggerFactory.getLogger(MultiBlock2dMaskGenerator.class);

    private final MultiBlock2dConfig config;

    /**
     * Creates a generator.
     *
     * @param config grid and block parameters
     */
    public MultiBlock2dMaskGenerator(MultiBlock2dConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The I-JEPA default generator at 224 px, patch 16.
     *
     * @return the I-JEPA default generator at 224 px, patch 16
     */
    public static MultiBlock2dMaskGenerator ijepa() {
        return new MultiBlock2dMaskGenerator(MultiBlock2dConfig.ijepa());
    }

    /** @return the configuration */
    public MultiBlock2dConfig config() {
        return config;
    }

    /** @return the token grid (one time step) */
    @Override
    public TokenGrid grid() {
        return config.grid();
    }

    /** Names {@code target-0 .. target-(P-1)}, or {@code context-e/target-p} with several context blocks. */
    @Override
    public List<String> maskSetNames() {
        List<String> names = new ArrayList<>();
        for (int p = 0; p < config.numTargetBlocks(); p++) {
            for (int e = 0; e < config.numContextBlocks(); e++) {
                names.add(config.numContextBlocks() == 1 ? "target-" + p : "context-" + e + "/target-" + p);
            }
        }
        return names;
    }

    @Override
    public List<MaskSet> sample(int batchSize, Random rng) {
        MaskIds.checkSample(batchSize, rng);
        TokenGrid g = config.grid();
        int[] targetSize = blockSize(g, config.targetScale(), config.targetAspectRatio(), rng.nextDouble());
        int[] contextSize = blockSize(g, config.contextScale(), config.contextAspectRatio(), rng.nextDouble());

        int numTargets = config.numTargetBlocks();
        int numContexts = config.numContextBlocks();
        List<List<long[]>> targets = new ArrayList<>(); // [P][B] id lists
        List<List<long[]>> contexts = new ArrayList<>(); // [E][B] id lists
        for (int p = 0; p < numTargets; p++) {
            targets.add(new ArrayList<>(batchSize));
        }
        for (int e = 0; e < numContexts; e++) {
            contexts.add(new ArrayList<>(batchSize));
        }
        int targetLength = g.numTokens();
        int contextLength = g.numTokens();
        for (int b = 0; b < batchSize; b++) {
            List<boolean[]> targetMasks = new ArrayList<>(numTargets);
            for (int p = 0; p < numTargets; p++) {
                boolean[] block = sampleBlock(targetSize, List.of(), rng);
                targetMasks.add(block);
                long[] ids = MaskIds.where(block, true);
                targets.get(p).add(ids);
                targetLength = Math.min(targetLength, ids.length);
            }
            List<boolean[]> excluded = config.allowOverlap() ? List.of() : targetMasks;
            for (int e = 0; e < numContexts; e++) {
                long[] ids = MaskIds.where(sampleBlock(contextSize, excluded, rng), true);
                contexts.get(e).add(ids);
                contextLength = Math.min(contextLength, ids.length);
            }
        }

        long[][][] contextArrays = new long[numContexts][][];
        for (int e = 0; e < numContexts; e++) {
            contextArrays[e] = MaskIds.truncate(contexts.get(e), contextLength); // [B, Nc]
        }
        List<MaskSet> out = new ArrayList<>(numTargets * numContexts);
        for (int p = 0; p < numTargets; p++) {
            long[][] target = MaskIds.truncate(targets.get(p), targetLength); // [B, Nt]
            for (int e = 0; e < numContexts; e++) {
                out.add(new MaskSet(contextArrays[e], target));
            }
        }
        return out;
    }

    /**
     * Block size {@code {h, w}} for one uniform number {@code u}, used for both scale and aspect ratio
     * (reference behaviour); each side is at least 1 and strictly smaller than the grid.
     *
     * @param grid image grid (at least 2x2)
     * @param scale area fraction range
     * @param aspect height/width ratio range
     * @param u uniform number in [0, 1)
     * @return {h, w}
     */
    static int[] blockSize(TokenGrid grid, Range scale, Range aspect, double u) {
        int area = (int) (grid.tokensPerFrame() * scale.at(u));
        double ar = aspect.at(u);
        int[] hw = MaskIds.blockSides(area, ar);
        int h = Math.max(1, Math.min(hw[0], grid.height() - 1));
        int w = Math.max(1, Math.min(hw[1], grid.width() - 1));
        return new int[] {h, w};
    }

    /**
     * Draws one block position until the block, minus the {@code excluded} masks still in force, keeps more than
     * {@code minKeep} tokens. Every {@link #TIMEOUT} failures the last excluded mask still in force is released.
     *
     * @return flat [H*W] mask, true = in the block
     */
    private boolean[] sampleBlock(int[] size, List<boolean[]> excluded, Random rng) {
        TokenGrid g = config.grid();
        int h = size[0];
        int w = size[1];
        int released = 0;
        int timeout = TIMEOUT;
        while (true) {
            int top = rng.nextInt(g.height() - h);
            int left = rng.nextInt(g.width() - w);
            boolean[] block = new boolean[g.numTokens()];
            MaskIds.markBlock(block, g, 0, 1, top, h, left, w);
            int inForce = Math.max(excluded.size() - released, 0);
            for (int k = 0; k < inForce; k++) {
                boolean[] other = excluded.get(k);
                for (int i = 0; i < block.length; i++) {
                    block[i] &= !other[i];
                }
            }
            if (MaskIds.count(block) > config.minKeep()) {
                return block;
            }
            if (--timeout == 0) {
                released++;
                timeout = TIMEOUT;
                LOG.debug("no valid {}x{} block in {} tries, releasing target constraint {}", h, w, TIMEOUT, released);
                if (released > excluded.size()) {
                    // Unreachable for validated configs (every block exceeds minKeep unconstrained).
                    throw new IllegalStateException("no " + h + "x" + w + " block on grid " + g
                            + " keeps more than minKeep=" + config.minKeep() + " tokens");
                }
            }
        }
    }
}
