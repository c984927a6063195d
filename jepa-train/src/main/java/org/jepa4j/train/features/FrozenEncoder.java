package org.jepa4j.train.features;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Objects;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;

/**
 * An encoder with frozen parameters (no gradients are recorded through it), owning its own NDManager.
 *
 * <pre>{@code
 * try (FrozenEncoder enc = FrozenEncoder.load(EncoderLoader.huggingFace(Path.of("vjepa2-vitl")))) {
 *     NDArray tokens = enc.encode(clips); // [B, C, T, H, W] -> [B, N, D]
 * }
 * }</pre>
 */
public final class FrozenEncoder implements AutoCloseable {

    private final NDManager manager;
    private final VisionTransformer model;
    private final String description;

    private FrozenEncoder(NDManager manager, VisionTransformer model, String description) {
        this.manager = manager;
        this.model = model;
        this.description = description;
    }

    /**
     * Loads an encoder on DJL's default device.
     *
     * @param loader where the weights come from
     * @return the frozen encoder, to be closed
     * @throws IOException if the weights cannot be read
     */
    public static FrozenEncoder load(EncoderLoader loader) throws IOException {
        return load(loader, null);
    }

    /**
     * Loads an encoder on a device.
     *
     * @param loader where the weights come from
     * @param device the device, or null for DJL's default
     * @return the frozen encoder, to be closed
     * @throws IOException if the weights cannot be read
     */
    public static FrozenEncoder load(EncoderLoader loader, Device device) throws IOException {
        Objects.requireNonNull(loader, "loader");
        NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device);
        try {
            VisionTransformer model = loader.load(manager);
            model.setTrainable(false);
            return new FrozenEncoder(manager, model, loader.description());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Encodes a batch. Every result and temporary belongs to the input's manager: encode inside a per-batch
     * manager and close it after use to keep memory flat. Threads sharing the encoder (the tasks of a Spark
     * executor) run one forward pass at a time; each pass uses the engine's intra-op threads.
     *
     * @param input float32 {@code [B, C, T, H, W]} (video model) or {@code [B, C, H, W]} (image model), normalized
     * @return token features {@code [B, N, D]} after the encoder's final LayerNorm
     * @throws IllegalArgumentException if the input does not fit the encoder (the message names the dimension)
     */
    public synchronized NDArray encode(NDArray input) {
        return model.forward(input);
    }

    /**
     * Checks that clips of {@code frames} frames at {@code size x size} pixels fit this encoder.
     *
     * @param frames frames per clip (ignored by an image model)
     * @param size crop height and width
     * @throws IllegalArgumentException naming the mismatch
     */
    public void checkInputSize(int frames, int size) {
        VitConfig c = model.config();
        if (size % c.patchSize() != 0) {
            throw new IllegalArgumentException("crop size " + size + " is not divisible by the encoder's patch size "
                    + c.patchSize());
        }
        if (c.isVideo() && frames % c.tubeletSize() != 0) {
            throw new IllegalArgumentException("frames per clip " + frames
                    + " is not divisible by the encoder's tubelet size " + c.tubeletSize());
        }
        if (c.positionKind() != PositionKind.ROPE_3D
                && (size != c.imageSize() || (c.isVideo() && frames != c.frames()))) {
            throw new IllegalArgumentException("the encoder's " + c.positionKind() + " positions need clips of "
                    + (c.isVideo() ? c.frames() + " frames at " : "") + c.imageSize() + " px, got "
                    + (c.isVideo() ? frames + " frames at " : "") + size + " px");
        }
    }

    /**
     * Returns the encoder's configuration.
     *
     * @return the encoder's configuration
     */
    public VitConfig config() {
        return model.config();
    }

    /**
     * Returns the underlying model (its parameters are frozen).
     *
     * @return the underlying model (its parameters are frozen)
     */
    public VisionTransformer model() {
        return model;
    }

    /**
     * Returns the encoder's device.
     *
     * @return the encoder's device
     */
    public Device device() {
        return manager.getDevice();
    }

    /**
     * Returns the manager owning the encoder's parameters.
     *
     * @return the manager owning the encoder's parameters
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * Returns where the weights came from.
     *
     * @return where the weights came from
     */
    public String description() {
        return description;
    }

    /** Frees the encoder's parameters. */
    @Override
    public void close() {
        manager.close();
    }
}
