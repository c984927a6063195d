package org.jepa4j.video.mask;

import java.util.Objects;

/**
 * One V-JEPA mask set (one entry of the reference's {@code cfgs_mask} list): {@code numBlocks} 3D blocks
 * whose union is the prediction target; the complement is the context.
 *
 * <p>Block size, drawn once per batch: {@code t = max(1, int(frames * temporalScale))} time steps, a spatial
 * area of {@code int(height * width * spatialScale)} tokens shaped by {@code aspectRatio} (height/width)
 * into {@code h = round(sqrt(area * ar))}, {@code w = round(sqrt(area / ar))}, each clamped to the grid
 * (and, unlike the reference, to at least 1 so a block is never empty).
 *
 * @param name label used in statistics, pictures and logs (e.g. "short-range")
 * @param numBlocks blocks per sample, at least 1
 * @param spatialScale fraction of the spatial grid covered by one block, within (0, 1]
 * @param temporalScale fraction of the time steps covered by one block, within (0, 1]
 * @param aspectRatio block height/width ratio, within (0, 100]
 * @param maxTemporalKeep fraction of time steps (from the start) the context may span, within (0, 1];
 *     tokens after it are always targets (reference {@code max_temporal_keep})
 * @param maxContextKeep cap on context tokens per sample after truncation; 0 means no cap
 *     (reference {@code max_keep}, unused by the shipped configs)
 */
public record MultiBlockSpec(
        String name,
        int numBlocks,
        Range spatialScale,
        Range temporalScale,
        Range aspectRatio,
        double maxTemporalKeep,
        int maxContextKeep) {

    /** Validates every field with a message naming it. */
    public MultiBlockSpec {
        Objects.requireNonNull(name, "mask set name");
        String where = "mask set '" + name + "': ";
        if (numBlocks < 1) {
            throw new IllegalArgumentException(where + "numBlocks must be >= 1, got " + numBlocks);
        }
        Objects.requireNonNull(spatialScale, where + "spatialScale");
        Objects.requireNonNull(temporalScale, where + "temporalScale");
        Objects.requireNonNull(aspectRatio, where + "aspectRatio");
        spatialScale.requireWithin(where + "spatialScale", 0, 1);
        temporalScale.requireWithin(where + "temporalScale", 0, 1);
        aspectRatio.requireWithin(where + "aspectRatio", 0, 100);
        if (!(maxTemporalKeep > 0 && maxTemporalKeep <= 1)) {
            throw new IllegalArgumentException(where + "maxTemporalKeep must lie in (0, 1], got " + maxTemporalKeep);
        }
        if (maxContextKeep < 0) {
            throw new IllegalArgumentException(where + "maxContextKeep must be >= 0 (0 = no cap), got " + maxContextKeep);
        }
    }

    /**
     * V-JEPA short-range set: 8 blocks, spatial scale 0.15, temporal scale 1.0, aspect [0.75, 1.5].
     *
     * @return V-JEPA short-range set: 8 blocks, spatial scale 0.15, temporal scale 1.0, aspect [0.75, 1.5]
     */
    public static MultiBlockSpec shortRange() {
        return builder().setName("short-range").setNumBlocks(8).setSpatialScale(Range.fixed(0.15)).build();
    }

    /**
     * V-JEPA long-range set: 2 blocks, spatial scale 0.7, temporal scale 1.0, aspect [0.75, 1.5].
     *
     * @return V-JEPA long-range set: 2 blocks, spatial scale 0.7, temporal scale 1.0, aspect [0.75, 1.5]
     */
    public static MultiBlockSpec longRange() {
        return builder().setName("long-range").setNumBlocks(2).setSpatialScale(Range.fixed(0.7)).build();
    }

    /**
     * A builder starting from the V-JEPA defaults shared by both sets (temporal scale 1.0, aspect
     * [0.75, 1.5], maxTemporalKeep 1.0, no context cap). Name, block count and spatial scale must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link MultiBlockSpec}. */
    public static final class Builder {
        private String name;
        private int numBlocks;
        private Range spatialScale;
        private Range temporalScale = Range.fixed(1.0);
        private Range aspectRatio = Range.of(0.75, 1.5);
        private double maxTemporalKeep = 1.0;
        private int maxContextKeep;

        private Builder() {
        }

        /**
         * Sets the set's name.
         *
         * @param name label
         * @return this
         */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the number of blocks.
         *
         * @param numBlocks blocks per sample
         * @return this
         */
        public Builder setNumBlocks(int numBlocks) {
            this.numBlocks = numBlocks;
            return this;
        }

        /**
         * Sets the spatial scale range.
         *
         * @param spatialScale range in (0, 1]
         * @return this
         */
        public Builder setSpatialScale(Range spatialScale) {
            this.spatialScale = spatialScale;
            return this;
        }

        /**
         * Sets the temporal scale range (default 1.0).
         *
         * @param temporalScale range in (0, 1]
         * @return this
         */
        public Builder optTemporalScale(Range temporalScale) {
            this.temporalScale = temporalScale;
            return this;
        }

        /**
         * Sets the aspect ratio range (default [0.75, 1.5]).
         *
         * @param aspectRatio range
         * @return this
         */
        public Builder optAspectRatio(Range aspectRatio) {
            this.aspectRatio = aspectRatio;
            return this;
        }

        /**
         * Sets max_temporal_keep (default 1.0).
         *
         * @param maxTemporalKeep fraction in (0, 1]
         * @return this
         */
        public Builder optMaxTemporalKeep(double maxTemporalKeep) {
            this.maxTemporalKeep = maxTemporalKeep;
            return this;
        }

        /**
         * Caps context tokens per sample (default 0 = no cap).
         *
         * @param maxContextKeep cap
         * @return this
         */
        public Builder optMaxContextKeep(int maxContextKeep) {
            this.maxContextKeep = maxContextKeep;
            return this;
        }

        /**
         * Builds and validates the spec.
         *
         * @return the spec
         * @throws IllegalArgumentException if a field is missing or out of range
         */
        public MultiBlockSpec build() {
            if (spatialScale == null) {
                throw new IllegalArgumentException("mask set '" + name + "': spatialScale must be set");
            }
            return new MultiBlockSpec(name, numBlocks, spatialScale, temporalScale, aspectRatio,
                    maxTemporalKeep, maxContextKeep);
        }
    }
}
