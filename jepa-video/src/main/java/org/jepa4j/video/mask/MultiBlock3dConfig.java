package org.jepa4j.video.mask;

import org.jepa4j.core.model.TokenGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of {@link MultiBlock3dMaskGenerator}: the token grid and the list of mask sets.
 *
 * @param grid the token grid (frames/tubelet x H/patch x W/patch)
 * @param maskSets the mask sets, in the order the generator returns them; names must be distinct
 */
public record MultiBlock3dConfig(TokenGrid grid, List<MultiBlockSpec> maskSets) {

    /** Validates the grid and the set list, and copies the list. */
    public MultiBlock3dConfig {
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(maskSets, "maskSets");
        if (maskSets.isEmpty()) {
            throw new IllegalArgumentException("multiblock 3D config needs at least one mask set");
        }
        maskSets = List.copyOf(maskSets);
        for (int i = 0; i < maskSets.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (maskSets.get(i).name().equals(maskSets.get(j).name())) {
                    throw new IllegalArgumentException("mask set name '" + maskSets.get(i).name()
                            + "' used twice (sets " + j + " and " + i + ")");
                }
            }
        }
    }

    /**
     * The V-JEPA recipe (short-range and long-range sets) on a given grid.
     *
     * @param grid token grid
     * @return the config
     */
    public static MultiBlock3dConfig vjepa(TokenGrid grid) {
        return new MultiBlock3dConfig(grid, List.of(MultiBlockSpec.shortRange(), MultiBlockSpec.longRange()));
    }

    /**
     * The V-JEPA recipe at 16 frames x 224 px, tubelet 2, patch 16 (8x14x14 = 1568 tokens).
     *
     * @return the V-JEPA recipe at 16 frames x 224 px, tubelet 2, patch 16 (8x14x14 = 1568 tokens)
     */
    public static MultiBlock3dConfig vjepa() {
        return vjepa(TokenGrid.video(16, 2, 224, 16));
    }

    /** @return a builder with no grid and no sets */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link MultiBlock3dConfig}. */
    public static final class Builder {
        private TokenGrid grid;
        private final List<MultiBlockSpec> sets = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the token grid.
         *
         * @param grid grid
         * @return this
         */
        public Builder setGrid(TokenGrid grid) {
            this.grid = grid;
            return this;
        }

        /**
         * Appends a mask set.
         *
         * @param spec the set
         * @return this
         */
        public Builder addMaskSet(MultiBlockSpec spec) {
            sets.add(Objects.requireNonNull(spec, "mask set"));
            return this;
        }

        /** @return the validated config */
        public MultiBlock3dConfig build() {
            if (grid == null) {
                throw new IllegalArgumentException("multiblock 3D config: grid must be set");
            }
            return new MultiBlock3dConfig(grid, sets);
        }
    }
}
