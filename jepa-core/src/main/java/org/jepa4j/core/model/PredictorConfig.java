package org.jepa4j.core.model;

/**
 * Immutable hyper-parameters of the JEPA {@link Predictor}. Start from the encoder it serves:
 * {@code PredictorConfig.builder(encoderConfig).setWidth(384).setDepth(12).setNumHeads(12).build()} copies the
 * encoder width, token grid, LayerNorm epsilon and position kind.
 */
public final class PredictorConfig {

    private final int encoderWidth;
    private final int width;
    private final int depth;
    private final int numHeads;
    private final double mlpRatio;
    private final boolean qkvBias;
    private final float layerNormEps;
    private final int numMaskTokens;
    private final boolean zeroInitMaskTokens;
    private final PositionKind positionKind;
    private final boolean uniformPower;
    private final boolean sortTokens;
    private final TokenGrid grid;

    private PredictorConfig(Builder b) {
        encoderWidth = b.encoderWidth;
        width = b.width;
        depth = b.depth;
        numHeads = b.numHeads;
        mlpRatio = b.mlpRatio;
        qkvBias = b.qkvBias;
        layerNormEps = b.layerNormEps;
        numMaskTokens = b.numMaskTokens;
        zeroInitMaskTokens = b.zeroInitMaskTokens;
        positionKind = b.positionKind;
        uniformPower = b.uniformPower;
        sortTokens = b.sortTokens;
        grid = b.grid;
        validate();
    }

    private void validate() {
        require(encoderWidth > 0, "encoderWidth must be > 0, got " + encoderWidth);
        require(width > 0 && depth > 0 && numHeads > 0,
                "width, depth and numHeads must be > 0, got " + width + ", " + depth + ", " + numHeads);
        require(width % numHeads == 0, "width " + width + " is not divisible by numHeads " + numHeads);
        require(mlpRatio > 0, "mlpRatio must be > 0, got " + mlpRatio);
        require(layerNormEps > 0, "layerNormEps must be > 0, got " + layerNormEps);
        require(numMaskTokens > 0, "numMaskTokens must be > 0, got " + numMaskTokens);
        require(grid != null, "the token grid must be set");
        int headDim = width / numHeads;
        switch (positionKind) {
            case SINCOS_2D:
                require(grid.depth() == 1, "SINCOS_2D positions need a grid of depth 1, got " + grid);
                require(width % 4 == 0, "SINCOS_2D positions need width divisible by 4, got " + width);
                break;
            case SINCOS_3D:
                require(uniformPower || width % 8 == 0,
                        "SINCOS_3D positions without uniformPower need width divisible by 8, got " + width);
                break;
            case ROPE_3D:
                require(headDim % 2 == 0 && headDim >= 6, "ROPE_3D needs an even head dimension >= 6, got " + headDim);
                break;
            default:
                break;
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid PredictorConfig: " + message);
        }
    }

    /**
     * Returns a builder matching an encoder (width, grid, epsilon, positions) with the reference defaults
     * width 384, depth 12, 12 heads, 10 mask tokens, token sorting on.
     *
     * @param encoder the encoder configuration
     * @return a builder
     */
    public static Builder builder(VitConfig encoder) {
        Builder b = new Builder();
        b.encoderWidth = encoder.width();
        b.grid = encoder.grid();
        b.layerNormEps = encoder.layerNormEps();
        b.positionKind = encoder.positionKind() == PositionKind.LEARNED ? PositionKind.SINCOS_3D : encoder.positionKind();
        if (b.positionKind == PositionKind.SINCOS_3D && !encoder.isVideo()) {
            b.positionKind = PositionKind.SINCOS_2D;
        }
        b.uniformPower = encoder.uniformPower();
        return b;
    }

    /**
     * Returns the encoder width (input and output of the predictor).
     *
     * @return the encoder width (input and output of the predictor)
     */
    public int encoderWidth() {
        return encoderWidth;
    }

    /**
     * Returns the predictor width.
     *
     * @return the predictor width
     */
    public int width() {
        return width;
    }

    /**
     * Returns the number of blocks.
     *
     * @return the number of blocks
     */
    public int depth() {
        return depth;
    }

    /**
     * Returns the number of heads.
     *
     * @return the number of heads
     */
    public int numHeads() {
        return numHeads;
    }

    /**
     * Returns the head width.
     *
     * @return the head width
     */
    public int headDim() {
        return width / numHeads;
    }

    /**
     * Returns the MLP ratio.
     *
     * @return the MLP ratio
     */
    public double mlpRatio() {
        return mlpRatio;
    }

    /**
     * Returns the MLP hidden width.
     *
     * @return the MLP hidden width
     */
    public int mlpHidden() {
        return VitConfig.mlpHidden(width, mlpRatio);
    }

    /**
     * Returns whether qkv has a bias.
     *
     * @return whether qkv has a bias
     */
    public boolean qkvBias() {
        return qkvBias;
    }

    /**
     * Returns the LayerNorm epsilon.
     *
     * @return the LayerNorm epsilon
     */
    public float layerNormEps() {
        return layerNormEps;
    }

    /**
     * Returns the number of learned mask tokens.
     *
     * @return the number of learned mask tokens
     */
    public int numMaskTokens() {
        return numMaskTokens;
    }

    /**
     * Returns whether mask tokens start at zero (else trunc-normal std 0.02).
     *
     * @return whether mask tokens start at zero (else trunc-normal std 0.02)
     */
    public boolean zeroInitMaskTokens() {
        return zeroInitMaskTokens;
    }

    /**
     * Returns the position encoding.
     *
     * @return the position encoding
     */
    public PositionKind positionKind() {
        return positionKind;
    }

    /**
     * Returns the 3D sin-cos uniform power option.
     *
     * @return the 3D sin-cos uniform power option
     */
    public boolean uniformPower() {
        return uniformPower;
    }

    /**
     * Returns whether tokens are sorted by id before the blocks (V-JEPA 2) and unsorted after.
     *
     * @return whether tokens are sorted by id before the blocks (V-JEPA 2) and unsorted after
     */
    public boolean sortTokens() {
        return sortTokens;
    }

    /**
     * Returns the token grid the ids refer to.
     *
     * @return the token grid the ids refer to
     */
    public TokenGrid grid() {
        return grid;
    }

    @Override
    public String toString() {
        return "PredictorConfig{encoderWidth=" + encoderWidth + ", width=" + width + ", depth=" + depth + ", heads="
                + numHeads + ", mlpRatio=" + mlpRatio + ", maskTokens=" + numMaskTokens + ", positions="
                + positionKind + ", sort=" + sortTokens + ", grid=" + grid + "}";
    }

    /** Mutable builder of {@link PredictorConfig}; {@link #build()} validates. */
    public static final class Builder {
        private int encoderWidth;
        private int width = -1; // required
        private int depth = -1; // required
        private int numHeads = -1; // required
        private double mlpRatio = 4.0;
        private boolean qkvBias = true;
        private float layerNormEps = 1e-6f;
        private int numMaskTokens = 10;
        private boolean zeroInitMaskTokens = true;
        private PositionKind positionKind = PositionKind.ROPE_3D;
        private boolean uniformPower;
        private boolean sortTokens = true;
        private TokenGrid grid;

        private Builder() {}

        /**
         * Sets the encoder width (required; {@link PredictorConfig#builder(VitConfig)} copies the encoder's).
         *
         * @param encoderWidth width of the context features
         * @return this builder
         */
        public Builder setEncoderWidth(int encoderWidth) {
            this.encoderWidth = encoderWidth;
            return this;
        }

        /**
         * Sets the predictor width (required; the V-JEPA ViT-L recipes use 384).
         *
         * @param width channels per token inside the predictor
         * @return this builder
         */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /**
         * Sets the number of blocks (required; the recipes use 12).
         *
         * @param depth blocks
         * @return this builder
         */
        public Builder setDepth(int depth) {
            this.depth = depth;
            return this;
        }

        /**
         * Sets the number of heads (required; the recipes use 12).
         *
         * @param numHeads attention heads, dividing the width
         * @return this builder
         */
        public Builder setNumHeads(int numHeads) {
            this.numHeads = numHeads;
            return this;
        }

        /**
         * Sets the MLP ratio (default 4).
         *
         * @param mlpRatio the MLP ratio (default 4)
         * @return this builder
         */
        public Builder optMlpRatio(double mlpRatio) {
            this.mlpRatio = mlpRatio;
            return this;
        }

        /**
         * Sets whether qkv has a bias (default true).
         *
         * @param qkvBias whether qkv has a bias (default true)
         * @return this builder
         */
        public Builder optQkvBias(boolean qkvBias) {
            this.qkvBias = qkvBias;
            return this;
        }

        /**
         * Sets the LayerNorm epsilon (default: the encoder's).
         *
         * @param layerNormEps the LayerNorm epsilon (default: the encoder's)
         * @return this builder
         */
        public Builder optLayerNormEps(float layerNormEps) {
            this.layerNormEps = layerNormEps;
            return this;
        }

        /**
         * Sets the number of mask tokens (default 10 as V-JEPA 2).
         *
         * @param numMaskTokens the number of mask tokens (default 10 as V-JEPA 2)
         * @return this builder
         */
        public Builder optNumMaskTokens(int numMaskTokens) {
            this.numMaskTokens = numMaskTokens;
            return this;
        }

        /**
         * Sets whether mask tokens start at zero (default true).
         *
         * @param zeroInitMaskTokens whether mask tokens start at zero (default true)
         * @return this builder
         */
        public Builder optZeroInitMaskTokens(boolean zeroInitMaskTokens) {
            this.zeroInitMaskTokens = zeroInitMaskTokens;
            return this;
        }

        /**
         * Sets the position encoding (default: the encoder's; LEARNED encoders get fixed sin-cos).
         *
         * @param positionKind the position encoding (default: the encoder's; LEARNED encoders get fixed sin-cos)
         * @return this builder
         */
        public Builder optPositionKind(PositionKind positionKind) {
            this.positionKind = positionKind;
            return this;
        }

        /**
         * Sets the 3D sin-cos uniform power option.
         *
         * @param uniformPower the 3D sin-cos uniform power option
         * @return this builder
         */
        public Builder optUniformPower(boolean uniformPower) {
            this.uniformPower = uniformPower;
            return this;
        }

        /**
         * Sets whether tokens are sorted by id around the blocks (default true).
         *
         * @param sortTokens whether tokens are sorted by id around the blocks (default true)
         * @return this builder
         */
        public Builder optSortTokens(boolean sortTokens) {
            this.sortTokens = sortTokens;
            return this;
        }

        /**
         * Sets the token grid (default: the encoder's configured grid).
         *
         * @param grid the token grid (default: the encoder's configured grid)
         * @return this builder
         */
        public Builder optGrid(TokenGrid grid) {
            this.grid = grid;
            return this;
        }

        /**
         * Validates and returns the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming a missing required value or the inconsistent values
         */
        public PredictorConfig build() {
            if (width == -1 || depth == -1 || numHeads == -1) {
                throw new IllegalArgumentException("PredictorConfig: width, depth and numHeads are required (setWidth, "
                        + "setDepth, setNumHeads), got " + (width == -1 ? "no width" : "width " + width) + ", "
                        + (depth == -1 ? "no depth" : "depth " + depth) + ", "
                        + (numHeads == -1 ? "no numHeads" : numHeads + " heads"));
            }
            return new PredictorConfig(this);
        }
    }
}
