package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import java.util.Objects;

/**
 * Configuration of {@link MultiBlock2dMaskGenerator} (I-JEPA multiblock masking on an image grid).
 *
 * @param grid token grid; must have {@code frames == 1} and at least 2 rows and 2 columns
 * @param numContextBlocks context blocks per sample (reference {@code nenc}), at least 1
 * @param contextScale fraction of the grid covered by a context block, within (0, 1]
 * @param contextAspectRatio context block height/width ratio (the reference fixes 1.0), within (0, 100]
 * @param numTargetBlocks target blocks per sample (reference {@code npred}), at least 1
 * @param targetScale fraction of the grid covered by a target block, within (0, 1]
 * @param targetAspectRatio target block height/width ratio, within (0, 100]
 * @param minKeep a block is valid only with MORE than this many tokens (reference {@code min_keep}), >= 0
 * @param allowOverlap if false, context blocks exclude the target blocks (reference {@code allow_overlap})
 */
public record MultiBlock2dConfig(
        TokenGrid grid,
        int numContextBlocks,
        Range contextScale,
        Range contextAspectRatio,
        int numTargetBlocks,
        Range targetScale,
        Range targetAspectRatio,
        int minKeep,
        boolean allowOverlap) {

    /** Validates every field with a message naming it. */
    public MultiBlock2dConfig {
        Objects.requireNonNull(grid, "grid");
        if (grid.depth() != 1) {
            throw new IllegalArgumentException("multiblock 2D masks need an image grid (frames == 1), got " + grid);
        }
        if (grid.height() < 2 || grid.width() < 2) {
            throw new IllegalArgumentException("multiblock 2D masks need at least 2x2 patches, got " + grid);
        }
        if (numContextBlocks < 1) {
            throw new IllegalArgumentException("numContextBlocks must be >= 1, got " + numContextBlocks);
        }
        if (numTargetBlocks < 1) {
            throw new IllegalArgumentException("numTargetBlocks must be >= 1, got " + numTargetBlocks);
        }
        Objects.requireNonNull(contextScale, "contextScale");
        Objects.requireNonNull(contextAspectRatio, "contextAspectRatio");
        Objects.requireNonNull(targetScale, "targetScale");
        Objects.requireNonNull(targetAspectRatio, "targetAspectRatio");
        contextScale.requireWithin("contextScale", 0, 1);
        targetScale.requireWithin("targetScale", 0, 1);
        contextAspectRatio.requireWithin("contextAspectRatio", 0, 100);
        targetAspectRatio.requireWithin("targetAspectRatio", 0, 100);
        if (minKeep < 0) {
            throw new IllegalArgumentException("minKeep must be >= 0, got " + minKeep);
        }
        // A block that can never exceed minKeep tokens would make the reference loop forever: reject it here.
        requireBlocksExceedMinKeep(grid, targetScale, targetAspectRatio, minKeep, "target");
        requireBlocksExceedMinKeep(grid, contextScale, contextAspectRatio, minKeep, "context");
    }

    /**
     * The I-JEPA recipe at 224 px, patch 16 (14x14 tokens).
     *
     * @return the I-JEPA recipe at 224 px, patch 16 (14x14 tokens)
     */
    public static MultiBlock2dConfig ijepa() {
        return ijepa(TokenGrid.image(224, 16));
    }

    /**
     * The I-JEPA recipe on a given image grid: 1 context block scale [0.85, 1.0] aspect 1.0; 4 target blocks
     * scale [0.15, 0.2] aspect [0.75, 1.5]; minKeep 10; no overlap.
     *
     * @param grid image token grid
     * @return the config
     */
    public static MultiBlock2dConfig ijepa(TokenGrid grid) {
        return builder().setGrid(grid).build();
    }

    /** @return a builder preset to the I-JEPA recipe; only the grid must be set */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireBlocksExceedMinKeep(TokenGrid grid, Range scale, Range aspect, int minKeep, String what) {
        // The block size is a function of one uniform number u (see MultiBlock2dMaskGenerator); scan u.
        for (int i = 0; i <= 1000; i++) {
            int[] hw = MultiBlock2dMaskGenerator.blockSize(grid, scale, aspect, Math.min(i / 1000.0, Math.nextDown(1.0)));
            if (hw[0] * hw[1] <= minKeep) {
                throw new IllegalArgumentException(what + " blocks can be " + hw[0] + "x" + hw[1] + " = "
                        + hw[0] * hw[1] + " tokens on grid " + grid + ", not more than minKeep=" + minKeep
                        + "; raise " + what + "Scale or lower minKeep");
            }
        }
    }

    /** Builder for {@link MultiBlock2dConfig}, preset to the I-JEPA recipe. */
    public static final class Builder {
        private TokenGrid grid;
        private int numContextBlocks = 1;
        private Range contextScale = Range.of(0.85, 1.0);
        private Range contextAspectRatio = Range.fixed(1.0);
        private int numTargetBlocks = 4;
        private Range targetScale = Range.of(0.15, 0.2);
        private Range targetAspectRatio = Range.of(0.75, 1.5);
        private int minKeep = 10;
        private boolean allowOverlap;

        private Builder() {
        }

        /**
         * Sets the image token grid.
         *
         * @param grid grid
         * @return this
         */
        public Builder setGrid(TokenGrid grid) {
            this.grid = grid;
            return this;
        }

        /**
         * Context blocks per sample (default 1).
         *
         * @param n count
         * @return this
         */
        public Builder optNumContextBlocks(int n) {
            this.numContextBlocks = n;
            return this;
        }

        /**
         * Context block scale (default [0.85, 1.0]).
         *
         * @param r range
         * @return this
         */
        public Builder optContextScale(Range r) {
            this.contextScale = r;
            return this;
        }

        /**
         * Context block aspect ratio (default 1.0).
         *
         * @param r range
         * @return this
         */
        public Builder optContextAspectRatio(Range r) {
            this.contextAspectRatio = r;
            return this;
        }

        /**
         * Target blocks per sample (default 4).
         *
         * @param n count
         * @return this
         */
        public Builder optNumTargetBlocks(int n) {
            this.numTargetBlocks = n;
            return this;
        }

        /**
         * Target block scale (default [0.15, 0.2]).
         *
         * @param r range
         * @return this
         */
        public Builder optTargetScale(Range r) {
            this.targetScale = r;
            return this;
        }

        /**
         * Target block aspect ratio (default [0.75, 1.5]).
         *
         * @param r range
         * @return this
         */
        public Builder optTargetAspectRatio(Range r) {
            this.targetAspectRatio = r;
            return this;
        }

        /**
         * Minimum tokens a block must exceed (default 10).
         *
         * @param minKeep count
         * @return this
         */
        public Builder optMinKeep(int minKeep) {
            this.minKeep = minKeep;
            return this;
        }

        /**
         * Whether context may overlap targets (default false).
         *
         * @param allow flag
         * @return this
         */
        public Builder optAllowOverlap(boolean allow) {
            this.allowOverlap = allow;
            return this;
        }

        /** @return the validated config */
        public MultiBlock2dConfig build() {
            if (grid == null) {
                throw new IllegalArgumentException("multiblock 2D config: grid must be set");
            }
            return new MultiBlock2dConfig(grid, numContextBlocks, contextScale, contextAspectRatio,
                    numTargetBlocks, targetScale, targetAspectRatio, minKeep, allowOverlap);
        }
    }
}
