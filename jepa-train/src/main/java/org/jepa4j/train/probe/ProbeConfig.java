package org.jepa4j.train.probe;

import java.util.Objects;

/**
 * Settings of a probe run; build with {@link #builder(ProbeKind)}. Defaults follow the V-JEPA 2 attentive probe
 * where they apply (AdamW, warmup then cosine decay, 3 self-attention blocks + 1 cross-attention block), scaled
 * down for small datasets.
 */
public final class ProbeConfig {

    private final ProbeKind kind;
    private final int epochs;
    private final int batchSize;
    private final double lr;
    private final double weightDecay;
    private final double warmupFraction;
    private final double heldOutFraction;
    private final long seed;
    private final int numHeads;
    private final int selfAttentionBlocks;
    private final boolean standardize;

    private ProbeConfig(Builder b) {
        kind = b.kind;
        epochs = b.epochs;
        batchSize = b.batchSize;
        lr = b.lr;
        weightDecay = b.weightDecay;
        warmupFraction = b.warmupFraction;
        heldOutFraction = b.heldOutFraction;
        seed = b.seed;
        numHeads = b.numHeads;
        selfAttentionBlocks = b.selfAttentionBlocks;
        standardize = b.standardize;
    }

    /**
     * Starts a builder.
     *
     * @param kind which probe to train
     * @return the builder with defaults
     */
    public static Builder builder(ProbeKind kind) {
        return new Builder(Objects.requireNonNull(kind, "kind"));
    }

    /**
     * Returns the probe kind.
     *
     * @return the probe kind
     */
    public ProbeKind kind() {
        return kind;
    }

    /**
     * Returns the passes over the training rows.
     *
     * @return the passes over the training rows
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Returns the rows (clips) per step.
     *
     * @return the rows (clips) per step
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the peak learning rate.
     *
     * @return the peak learning rate
     */
    public double lr() {
        return lr;
    }

    /**
     * Returns the AdamW weight decay (not applied to biases and 1-D parameters).
     *
     * @return the AdamW weight decay (not applied to biases and 1-D parameters)
     */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Returns the share of the steps spent in linear warmup from 0.
     *
     * @return the share of the steps spent in linear warmup from 0
     */
    public double warmupFraction() {
        return warmupFraction;
    }

    /**
     * Returns the share of each class's samples held out for evaluation.
     *
     * @return the share of each class's samples held out for evaluation
     */
    public double heldOutFraction() {
        return heldOutFraction;
    }

    /**
     * Returns the seed of the split, the initial weights and the batch order.
     *
     * @return the seed of the split, the initial weights and the batch order
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the attention heads of the attentive probe for features of width {@code width}: the configured
     * number, or by default the largest of 16, 12, 8, 6, 4, 3, 2 dividing the width with heads at least 32
     * wide (16 for a ViT-L), else 1.
     *
     * @param width feature width D
     * @return the number of heads
     */
    public int numHeads(int width) {
        if (numHeads > 0) {
            return numHeads;
        }
        for (int h : new int[] {16, 12, 8, 6, 4, 3, 2}) {
            if (width % h == 0 && width / h >= 32) {
                return h;
            }
        }
        return 1;
    }

    /**
     * Returns the self-attention blocks before the attentive probe's cross-attention (V-JEPA 2: 3).
     *
     * @return the self-attention blocks before the attentive probe's cross-attention (V-JEPA 2: 3)
     */
    public int selfAttentionBlocks() {
        return selfAttentionBlocks;
    }

    /**
     * Whether a linear probe standardizes each feature with the training rows' mean and std first.
     *
     * @return true when set with {@link Builder#optStandardize(boolean)}
     */
    public boolean standardize() {
        return standardize;
    }

    @Override
    public String toString() {
        return "ProbeConfig{" + kind + ", epochs=" + epochs + ", batch=" + batchSize + ", lr=" + lr + ", wd="
                + weightDecay + ", warmup=" + warmupFraction + ", heldOut=" + heldOutFraction + ", seed=" + seed
                + (kind == ProbeKind.ATTENTIVE ? ", heads=" + (numHeads > 0 ? numHeads : "auto") + ", selfBlocks="
                        + selfAttentionBlocks : "") + (standardize ? ", standardized" : "") + "}";
    }

    /** Builder of {@link ProbeConfig}. */
    public static final class Builder {

        private final ProbeKind kind;
        private int epochs = 20;
        private int batchSize = 16;
        private double lr;
        private double weightDecay = 0.01;
        private double warmupFraction = 0.1;
        private double heldOutFraction = 0.2;
        private long seed;
        private int numHeads;
        private int selfAttentionBlocks = 3;
        private boolean standardize;

        private Builder(ProbeKind kind) {
            this.kind = kind;
            this.lr = kind == ProbeKind.LINEAR ? 1e-2 : 1e-3;
        }

        /**
         * Sets the epochs (default 20).
         *
         * @param epochs the epochs (default 20)
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the rows per step (default 16).
         *
         * @param batchSize the rows per step (default 16)
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the peak learning rate (default 1e-2 linear, 1e-3 attentive).
         *
         * @param lr the peak learning rate (default 1e-2 linear, 1e-3 attentive)
         * @return this builder
         */
        public Builder optLr(double lr) {
            this.lr = lr;
            return this;
        }

        /**
         * Sets the weight decay (default 0.01).
         *
         * @param weightDecay the weight decay (default 0.01)
         * @return this builder
         */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Sets the warmup share of all steps (default 0.1).
         *
         * @param warmupFraction the warmup share of all steps (default 0.1)
         * @return this builder
         */
        public Builder optWarmupFraction(double warmupFraction) {
            this.warmupFraction = warmupFraction;
            return this;
        }

        /**
         * Sets the held-out share of each class's samples (default 0.2).
         *
         * @param heldOutFraction the held-out share of each class's samples (default 0.2)
         * @return this builder
         */
        public Builder optHeldOutFraction(double heldOutFraction) {
            this.heldOutFraction = heldOutFraction;
            return this;
        }

        /**
         * Sets the seed (default 0).
         *
         * @param seed the seed (default 0)
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the attentive probe's heads (default: automatic, see {@link ProbeConfig#numHeads(int)}).
         *
         * @param numHeads the attentive probe's heads (default: automatic, see {@link ProbeConfig#numHeads(int)})
         * @return this builder
         */
        public Builder optNumHeads(int numHeads) {
            this.numHeads = numHeads;
            return this;
        }

        /**
         * Sets the attentive probe's self-attention blocks (default 3, as V-JEPA 2).
         *
         * @param blocks the attentive probe's self-attention blocks (default 3, as V-JEPA 2)
         * @return this builder
         */
        public Builder optSelfAttentionBlocks(int blocks) {
            this.selfAttentionBlocks = blocks;
            return this;
        }

        /**
         * Standardizes each pooled feature with the training rows' mean and std before a linear probe (default
         * false): features of very different scales then train at one learning rate.
         *
         * @param standardize whether to standardize (linear probes only)
         * @return this builder
         */
        public Builder optStandardize(boolean standardize) {
            this.standardize = standardize;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the setting at fault
         */
        public ProbeConfig build() {
            check(epochs >= 1, "epochs must be >= 1, got " + epochs);
            check(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
            check(lr > 0, "lr must be > 0, got " + lr);
            check(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
            check(warmupFraction >= 0 && warmupFraction < 1, "warmup fraction must be in [0, 1), got " + warmupFraction);
            check(heldOutFraction > 0 && heldOutFraction < 1,
                    "held-out fraction must be in (0, 1), got " + heldOutFraction);
            check(numHeads >= 0, "heads must be >= 0 (0 = automatic), got " + numHeads);
            check(selfAttentionBlocks >= 0, "self-attention blocks must be >= 0, got " + selfAttentionBlocks);
            check(!standardize || kind == ProbeKind.LINEAR, "standardization applies to linear probes only");
            return new ProbeConfig(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("ProbeConfig: " + message);
            }
        }
    }
}
