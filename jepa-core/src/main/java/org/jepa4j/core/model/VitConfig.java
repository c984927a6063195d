package org.jepa4j.core.model;

/**
 * Immutable hyper-parameters of a Vision Transformer encoder (no CLS token, pre-norm blocks).
 *
 * <p>Build one from a preset and adjust it, for example {@code VitConfig.small().optFrames(16).build()}, or
 * from scratch with {@link #builder()}. {@code frames == 1} means an image model (input {@code [B, C, H, W]},
 * Conv2d-style patches); {@code frames > 1} a video model (input {@code [B, C, T, H, W]}, tubelets of
 * {@code tubeletSize} frames). Token ids are time-major: {@code t * H' * W' + h * W' + w}.
 */
public final class VitConfig {

    private final int width;
    private final int depth;
    private final int numHeads;
    private final double mlpRatio;
    private final int patchSize;
    private final int tubeletSize;
    private final int frames;
    private final int imageSize;
    private final int inChannels;
    private final boolean qkvBias;
    private final float layerNormEps;
    private final PositionKind positionKind;
    private final boolean uniformPower;

    VitConfig(VitConfigBuilder b) {
        width = b.width;
        depth = b.depth;
        numHeads = b.numHeads;
        mlpRatio = b.mlpRatio;
        patchSize = b.patchSize;
        tubeletSize = b.tubeletSize;
        frames = b.frames;
        imageSize = b.imageSize;
        inChannels = b.inChannels;
        qkvBias = b.qkvBias;
        layerNormEps = b.layerNormEps;
        positionKind = b.positionKind != null ? b.positionKind
                : (b.frames > 1 ? PositionKind.SINCOS_3D : PositionKind.SINCOS_2D);
        uniformPower = b.uniformPower;
        validate();
    }

    private void validate() {
        require(width > 0, "width must be > 0, got " + width);
        require(depth > 0, "depth must be > 0, got " + depth);
        require(numHeads > 0, "numHeads must be > 0, got " + numHeads);
        require(width % numHeads == 0, "width " + width + " is not divisible by numHeads " + numHeads);
        require(mlpRatio > 0, "mlpRatio must be > 0, got " + mlpRatio);
        require(patchSize > 0, "patchSize must be > 0, got " + patchSize);
        require(imageSize > 0, "imageSize must be > 0, got " + imageSize);
        require(imageSize % patchSize == 0,
                "imageSize " + imageSize + " is not divisible by patchSize " + patchSize);
        require(frames > 0, "frames must be > 0, got " + frames);
        require(inChannels > 0, "inChannels must be > 0, got " + inChannels);
        require(layerNormEps > 0, "layerNormEps must be > 0, got " + layerNormEps);
        if (frames > 1) {
            require(tubeletSize > 0, "tubeletSize must be > 0, got " + tubeletSize);
            require(frames % tubeletSize == 0,
                    "frames " + frames + " is not divisible by tubeletSize " + tubeletSize);
        }
        switch (positionKind) {
            case SINCOS_2D:
                require(frames == 1, "SINCOS_2D positions are for images (frames = 1), got frames " + frames);
                require(width % 4 == 0, "SINCOS_2D positions need width divisible by 4, got " + width);
                break;
            case SINCOS_3D:
                require(frames > 1, "SINCOS_3D positions are for videos (frames > 1), got frames " + frames);
                require(uniformPower || width % 8 == 0,
                        "SINCOS_3D positions without uniformPower need width divisible by 8, got " + width);
                break;
            case ROPE_3D:
                require(headDim() % 2 == 0 && headDim() >= 6,
                        "ROPE_3D needs an even head dimension >= 6, got " + headDim());
                break;
            default:
                break;
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid VitConfig: " + message);
        }
    }

    /**
     * Returns an empty builder (ViT-S/16 video defaults: 16 frames, 224 px, tubelet 2).
     *
     * @return an empty builder (ViT-S/16 video defaults: 16 frames, 224 px, tubelet 2)
     */
    public static VitConfigBuilder builder() {
        return new VitConfigBuilder();
    }

    /**
     * Returns a builder preset to ViT-Ti (width 192, depth 12, 3 heads).
     *
     * @return a builder preset to ViT-Ti (width 192, depth 12, 3 heads)
     */
    public static VitConfigBuilder tiny() {
        return builder().setWidth(192).setDepth(12).setNumHeads(3);
    }

    /**
     * Returns a builder preset to ViT-S (width 384, depth 12, 6 heads).
     *
     * @return a builder preset to ViT-S (width 384, depth 12, 6 heads)
     */
    public static VitConfigBuilder small() {
        return builder().setWidth(384).setDepth(12).setNumHeads(6);
    }

    /**
     * Returns a builder preset to ViT-B (width 768, depth 12, 12 heads).
     *
     * @return a builder preset to ViT-B (width 768, depth 12, 12 heads)
     */
    public static VitConfigBuilder base() {
        return builder().setWidth(768).setDepth(12).setNumHeads(12);
    }

    /**
     * Returns a builder preset to ViT-L (width 1024, depth 24, 16 heads).
     *
     * @return a builder preset to ViT-L (width 1024, depth 24, 16 heads)
     */
    public static VitConfigBuilder large() {
        return builder().setWidth(1024).setDepth(24).setNumHeads(16);
    }

    /**
     * Returns a builder preset to ViT-H (width 1280, depth 32, 16 heads).
     *
     * @return a builder preset to ViT-H (width 1280, depth 32, 16 heads)
     */
    public static VitConfigBuilder huge() {
        return builder().setWidth(1280).setDepth(32).setNumHeads(16);
    }

    /**
     * Returns a builder preset to ViT-g (width 1408, depth 40, 16 heads, MLP ratio 48/11). The V-JEPA 2
     * "xformers" variant uses 22 heads (head dim 64): add {@code .setNumHeads(22)}.
     *
     * @return a builder preset to ViT-g
     */
    public static VitConfigBuilder giant() {
        return builder().setWidth(1408).setDepth(40).setNumHeads(16).optMlpRatio(48.0 / 11.0);
    }

    /**
     * Returns a builder holding this configuration's values, to derive a variant.
     *
     * @return a builder holding this configuration's values, to derive a variant
     */
    public VitConfigBuilder toBuilder() {
        VitConfigBuilder b = new VitConfigBuilder();
        b.width = width;
        b.depth = depth;
        b.numHeads = numHeads;
        b.mlpRatio = mlpRatio;
        b.patchSize = patchSize;
        b.tubeletSize = tubeletSize;
        b.frames = frames;
        b.imageSize = imageSize;
        b.inChannels = inChannels;
        b.qkvBias = qkvBias;
        b.layerNormEps = layerNormEps;
        b.positionKind = positionKind;
        b.uniformPower = uniformPower;
        return b;
    }

    /**
     * Returns the token width D.
     *
     * @return the token width D
     */
    public int width() {
        return width;
    }

    /**
     * Returns the number of transformer blocks.
     *
     * @return the number of transformer blocks
     */
    public int depth() {
        return depth;
    }

    /**
     * Returns the number of attention heads.
     *
     * @return the number of attention heads
     */
    public int numHeads() {
        return numHeads;
    }

    /**
     * Returns the width of one attention head, {@code width / numHeads}.
     *
     * @return the width of one attention head, {@code width / numHeads}
     */
    public int headDim() {
        return width / numHeads;
    }

    /**
     * Returns the MLP expansion ratio.
     *
     * @return the MLP expansion ratio
     */
    public double mlpRatio() {
        return mlpRatio;
    }

    /**
     * Returns the MLP hidden width, {@code int(width * mlpRatio)} as in the references.
     *
     * @return the MLP hidden width, {@code int(width * mlpRatio)} as in the references
     */
    public int mlpHidden() {
        return mlpHidden(width, mlpRatio);
    }

    static int mlpHidden(int width, double ratio) {
        return (int) Math.floor(width * ratio + 1e-6);
    }

    /**
     * Returns the spatial patch size in pixels.
     *
     * @return the spatial patch size in pixels
     */
    public int patchSize() {
        return patchSize;
    }

    /**
     * Returns the number of frames per tubelet (ignored for images).
     *
     * @return the number of frames per tubelet (ignored for images)
     */
    public int tubeletSize() {
        return frames > 1 ? tubeletSize : 1;
    }

    /**
     * Returns the number of input frames (1 for an image model).
     *
     * @return the number of input frames (1 for an image model)
     */
    public int frames() {
        return frames;
    }

    /**
     * Returns whether this is a video model ({@code frames > 1}).
     *
     * @return whether this is a video model ({@code frames > 1})
     */
    public boolean isVideo() {
        return frames > 1;
    }

    /**
     * Returns the input height and width in pixels.
     *
     * @return the input height and width in pixels
     */
    public int imageSize() {
        return imageSize;
    }

    /**
     * Returns the number of input channels.
     *
     * @return the number of input channels
     */
    public int inChannels() {
        return inChannels;
    }

    /**
     * Returns whether the qkv projection has a bias.
     *
     * @return whether the qkv projection has a bias
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
     * Returns how positions are encoded.
     *
     * @return how positions are encoded
     */
    public PositionKind positionKind() {
        return positionKind;
    }

    /**
     * Returns whether 3D sin-cos tables give t, h and w the same number of channels (V-JEPA option).
     *
     * @return whether 3D sin-cos tables give t, h and w the same number of channels (V-JEPA option)
     */
    public boolean uniformPower() {
        return uniformPower;
    }

    /**
     * Returns the token grid of the configured input size.
     *
     * @return the token grid of the configured input size
     */
    public TokenGrid grid() {
        int g = imageSize / patchSize;
        return new TokenGrid(frames > 1 ? frames / tubeletSize : 1, g, g);
    }

    /**
     * Returns the number of tokens of the configured input size.
     *
     * @return the number of tokens of the configured input size
     */
    public int numTokens() {
        return grid().numTokens();
    }

    @Override
    public String toString() {
        return "VitConfig{width=" + width + ", depth=" + depth + ", heads=" + numHeads + ", mlpRatio=" + mlpRatio
                + ", patch=" + patchSize + ", tubelet=" + tubeletSize() + ", frames=" + frames + ", image="
                + imageSize + ", inChannels=" + inChannels + ", qkvBias=" + qkvBias + ", eps=" + layerNormEps
                + ", positions=" + positionKind + (uniformPower ? " (uniform power)" : "") + "}";
    }
}
