package org.jepa4j.core.model;

/**
 * Mutable builder of {@link VitConfig}, returned by {@link VitConfig#builder()}, the presets such as
 * {@link VitConfig#small()} and {@link VitConfig#toBuilder()}; {@link #build()} validates.
 */
public final class VitConfigBuilder {
    int width = 384;
    int depth = 12;
    int numHeads = 6;
    double mlpRatio = 4.0;
    int patchSize = 16;
    int tubeletSize = 2;
    int frames = 16;
    int imageSize = 224;
    int inChannels = 3;
    boolean qkvBias = true;
    float layerNormEps = 1e-6f;
    PositionKind positionKind;
    boolean uniformPower;

    VitConfigBuilder() {}

    /**
     * Sets the token width D.
     *
     * @param width the token width D
     * @return this builder
     */
    public VitConfigBuilder setWidth(int width) {
        this.width = width;
        return this;
    }

    /**
     * Sets the number of blocks.
     *
     * @param depth the number of blocks
     * @return this builder
     */
    public VitConfigBuilder setDepth(int depth) {
        this.depth = depth;
        return this;
    }

    /**
     * Sets the number of attention heads.
     *
     * @param numHeads the number of attention heads
     * @return this builder
     */
    public VitConfigBuilder setNumHeads(int numHeads) {
        this.numHeads = numHeads;
        return this;
    }

    /**
     * Sets the MLP ratio (default 4).
     *
     * @param mlpRatio the MLP ratio (default 4)
     * @return this builder
     */
    public VitConfigBuilder optMlpRatio(double mlpRatio) {
        this.mlpRatio = mlpRatio;
        return this;
    }

    /**
     * Sets the patch size (default 16).
     *
     * @param patchSize the patch size (default 16)
     * @return this builder
     */
    public VitConfigBuilder optPatchSize(int patchSize) {
        this.patchSize = patchSize;
        return this;
    }

    /**
     * Sets the tubelet size (default 2).
     *
     * @param tubeletSize the tubelet size (default 2)
     * @return this builder
     */
    public VitConfigBuilder optTubeletSize(int tubeletSize) {
        this.tubeletSize = tubeletSize;
        return this;
    }

    /**
     * Sets the number of frames (default 16; 1 makes an image model).
     *
     * @param frames the number of frames (default 16; 1 makes an image model)
     * @return this builder
     */
    public VitConfigBuilder optFrames(int frames) {
        this.frames = frames;
        return this;
    }

    /**
     * Sets the input height and width (default 224).
     *
     * @param imageSize the input height and width (default 224)
     * @return this builder
     */
    public VitConfigBuilder optImageSize(int imageSize) {
        this.imageSize = imageSize;
        return this;
    }

    /**
     * Sets the number of input channels (default 3).
     *
     * @param inChannels the number of input channels (default 3)
     * @return this builder
     */
    public VitConfigBuilder optInChannels(int inChannels) {
        this.inChannels = inChannels;
        return this;
    }

    /**
     * Sets whether qkv has a bias (default true).
     *
     * @param qkvBias whether qkv has a bias (default true)
     * @return this builder
     */
    public VitConfigBuilder optQkvBias(boolean qkvBias) {
        this.qkvBias = qkvBias;
        return this;
    }

    /**
     * Sets the LayerNorm epsilon (default 1e-6).
     *
     * @param layerNormEps the LayerNorm epsilon (default 1e-6)
     * @return this builder
     */
    public VitConfigBuilder optLayerNormEps(float layerNormEps) {
        this.layerNormEps = layerNormEps;
        return this;
    }

    /**
     * Sets the position encoding (default SINCOS_3D for video, SINCOS_2D for images).
     *
     * @param positionKind the position encoding (default SINCOS_3D for video, SINCOS_2D for images)
     * @return this builder
     */
    public VitConfigBuilder optPositionKind(PositionKind positionKind) {
        this.positionKind = positionKind;
        return this;
    }

    /**
     * Sets the V-JEPA {@code uniform_power} option of 3D sin-cos tables (default false).
     *
     * @param uniformPower the V-JEPA {@code uniform_power} option of 3D sin-cos tables (default false)
     * @return this builder
     */
    public VitConfigBuilder optUniformPower(boolean uniformPower) {
        this.uniformPower = uniformPower;
        return this;
    }

    /**
     * Validates and returns the configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the inconsistent values
     */
    public VitConfig build() {
        return new VitConfig(this);
    }
}
