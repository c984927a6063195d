package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * V-JEPA multiblock 3D masking (behaviour of {@code src/masks/multiblock3d.py} in facebookresearch/jepa).
 *
 * <p>For each configured {@link MultiBlockSpec} and each batch:
 * <ol>
 *   <li>one block size {@code (t, h, w)} is drawn for the whole batch (three uniform numbers: temporal scale,
 *       spatial scale, aspect ratio);</li>
 *   <li>for every sample, {@code numBlocks} block positions are drawn independently; the target is the union
 *       of the blocks (blocks may overlap), plus every time step at or after
 *       {@code max(1, int(frames * maxTemporalKeep))}; the context is the complement. If the context is empty
 *       the sample's blocks are drawn again (at most {@value #MAX_ATTEMPTS} times, then an
 *       {@link IllegalStateException} names the set);</li>
 *   <li>context and target id lists (ascending) are cut to the shortest context / target of the batch
 *       (and the context to {@code maxContextKeep} if set), keeping the lowest ids, as the reference does.</li>
 * </ol>
 * All randomness comes from the {@code rng} passed to {@link #sample}; instances are immutable and thread-safe.
 */
public final class MultiBlock3dMaskGenerator implements MaskGenerator {

    /** Draws of a sample's blocks before giving up on a non-empty context. */
    public static final int MAX_ATTEMPTS = 1000;

    private final MultiBlock3dConfig config;

    /**
     * Creates a generator.
     *
     * @param config grid and mask sets
     */
    public MultiBlock3dMaskGenerator(MultiBlock3dConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * The V-JEPA default generator at 16 frames x 224 px, tubelet 2, patch 16.
     *
     * @return the V-JEPA default generator at 16 frames x 224 px, tubelet 2, patch 16
     */
    public static MultiBlock3dMaskGenerator vjepa() {
        return new MultiBlock3dMaskGenerator(MultiBlock3dConfig.vjepa());
    }

    /** @return the configuration */
    public MultiBlock3dConfig config() {
        return config;
    }

    /** @return the token grid */
    @Override
    public TokenGrid grid() {
        return config.grid();
    }

    @Override
    public List<String> maskSetNames() {
        return config.maskSets().stream().map(MultiBlockSpec::name).toList();
    }

    @Override
    public List<MaskSet> sample(int batchSize, Random rng) {
        MaskIds.checkSample(batchSize, rng);
        List<MaskSet> out = new ArrayList<>(config.maskSets().size());
        for (MultiBlockSpec spec : config.maskSets()) {
            out.add(sampleSet(spec, batchSize, rng));
        }
        return out;
    }

    /**
     * The block size {@code {t, h, w}} one batch of a set uses, drawn from three uniform numbers.
     *
     * @param spec the mask set
     * @param rng randomness
     * @return {t, h, w}, each at least 1 and within the grid
     */
    int[] sampleBlockSize(MultiBlockSpec spec, Random rng) {
        TokenGrid g = config.grid();
        double temporalScale = spec.temporalScale().at(rng.nextDouble());
        int t = Math.max(1, (int) (g.depth() * temporalScale));
        double spatialScale = spec.spatialScale().at(rng.nextDouble());
        int area = (int) (g.tokensPerFrame() * spatialScale);
        double aspect = spec.aspectRatio().at(rng.nextDouble());
        int[] hw = MaskIds.blockSides(area, aspect);
        int h = Math.max(1, Math.min(hw[0], g.height()));
        int w = Math.max(1, Math.min(hw[1], g.width()));
        return new int[] {Math.min(t, g.depth()), h, w};
    }

    private MaskSet sampleSet(MultiBlockSpec spec, int batchSize, Random rng) {
        TokenGrid g = config.grid();
        int[] size = sampleBlockSize(spec, rng); // {t, h, w}, shared by the batch
        int maxContextFrames = Math.max(1, (int) (g.depth() * spec.maxTemporalKeep()));

        List<long[]> contexts = new ArrayList<>(batchSize);
        List<long[]> targets = new ArrayList<>(batchSize);
        for (int b = 0; b < batchSize; b++) {
            boolean[] masked = sampleTargetMask(spec, size, maxContextFrames, rng); // [T*H*W], true = target
            contexts.add(MaskIds.where(masked, false));
            targets.add(MaskIds.where(masked, true));
        }
        int contextLength = MaskIds.minLength(contexts, g.numTokens());
        if (spec.maxContextKeep() > 0) {
            contextLength = Math.min(contextLength, spec.maxContextKeep());
        }
        int targetLength = MaskIds.minLength(targets, g.numTokens());
        return new MaskSet(MaskIds.truncate(contexts, contextLength), MaskIds.truncate(targets, targetLength));
    }

    private boolean[] sampleTargetMask(MultiBlockSpec spec, int[] size, int maxContextFrames, Random rng) {
        TokenGrid g = config.grid();
        int t = size[0];
        int h = size[1];
        int w = size[2];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            boolean[] masked = new boolean[g.numTokens()];
            for (int block = 0; block < spec.numBlocks(); block++) {
                int top = rng.nextInt(g.height() - h + 1);
                int left = rng.nextInt(g.width() - w + 1);
                int start = rng.nextInt(g.depth() - t + 1);
                MaskIds.markBlock(masked, g, start, t, top, h, left, w);
            }
            // Context may only span the first maxContextFrames time steps.
            for (int i = maxContextFrames * g.tokensPerFrame(); i < masked.length; i++) {
                masked[i] = true;
            }
            if (MaskIds.count(masked) < masked.length) {
                return masked;
            }
        }
        throw new IllegalStateException("mask set '" + spec.name() + "': context empty after " + MAX_ATTEMPTS
                + " draws of " + spec.numBlocks() + " blocks of " + t + "x" + h + "x" + w + " on grid " + g
                + "; lower spatialScale/temporalScale or numBlocks");
    }
}
