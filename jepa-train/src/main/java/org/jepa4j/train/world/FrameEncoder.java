package org.jepa4j.train.world;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jepa4j.core.loss.JepaLoss;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.core.tensor.NoGrad;
import org.jepa4j.train.features.EncoderLoader;
import org.jepa4j.train.features.FrozenEncoder;

/**
 * The frozen encoder of a world model, frame by frame as V-JEPA 2-AC uses it: each frame is duplicated into a
 * tubelet of the encoder's tubelet size (2 frames for V-JEPA 2), encoded on its own, and its {@code H*W} tokens are
 * layer-normed without affine parameters ({@code F.layer_norm(h, (E,))}, eps 1e-5). An image encoder (I-JEPA) takes
 * the frame as is. These normalized tokens are both the predictor's inputs and its targets.
 */
public final class FrameEncoder implements AutoCloseable {

    private final FrozenEncoder encoder;
    private final String source;

    private FrameEncoder(FrozenEncoder encoder, String source) {
        this.encoder = encoder;
        this.source = source;
    }

    /**
     * Loads a frozen encoder: a Hugging Face V-JEPA 2 (or I-JEPA) directory (it holds a {@code config.json}) or a
     * jepa4j run / checkpoint directory (its target encoder).
     *
     * @param path the encoder's directory
     * @param device the device, or null for DJL's default
     * @return the frame encoder, to be closed
     * @throws IOException if the weights cannot be read
     */
    public static FrameEncoder load(Path path, Device device) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no encoder (a jepa4j run or a Hugging Face "
                    + "V-JEPA 2 directory)");
        }
        EncoderLoader loader = EncoderLoader.of(path); // a jepa4j run or checkpoint, or a Hugging Face directory
        return of(FrozenEncoder.load(loader, device), path.toString());
    }

    /**
     * A randomly initialized (untrained) video encoder, for tests, benchmarks and the "untrained encoder" baseline
     * of planning.
     *
     * @param config the encoder's hyper-parameters (a video model)
     * @param seed seed of the weights
     * @param device the device, or null for DJL's default
     * @return the frame encoder, to be closed
     * @throws IOException never in practice (the loader reads no file)
     */
    public static FrameEncoder untrained(VitConfig config, long seed, Device device) throws IOException {
        EncoderLoader random = new EncoderLoader() {
            @Override
            public org.jepa4j.core.model.VisionTransformer load(ai.djl.ndarray.NDManager manager) {
                return new org.jepa4j.core.model.VisionTransformer(config, manager, seed);
            }

            @Override
            public String description() {
                return "untrained " + config + " seed " + seed;
            }
        };
        return of(FrozenEncoder.load(random, device), "untrained:" + seed);
    }

    /**
     * Wraps an already loaded frozen encoder (closed with this object).
     *
     * @param encoder the encoder
     * @param source where it came from, for run metadata
     * @return the frame encoder
     */
    public static FrameEncoder of(FrozenEncoder encoder, String source) {
        VitConfig c = encoder.config();
        if (c.isVideo()) {
            encoder.checkInputSize(c.tubeletSize(), c.imageSize());
        }
        return new FrameEncoder(encoder, source);
    }

    /**
     * Encodes frames one by one (no gradient). Results and temporaries belong to the frames' manager.
     *
     * @param frames normalized pixels {@code [N, 3, S, S]}, S the encoder's image size
     * @param batch frames per encoder pass
     * @return layer-normed tokens {@code [N, H*W, E]}
     */
    public NDArray encode(NDArray frames, int batch) {
        Shape s = frames.getShape();
        int size = imageSize();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != size || s.get(3) != size) {
            throw new IllegalArgumentException("frames must be [N, 3, " + size + ", " + size + "] for this encoder ("
                    + encoder.description() + "), got " + s);
        }
        VitConfig c = encoder.config();
        NDList parts = new NDList();
        try (NoGrad ignored = NoGrad.enter()) {
            for (long start = 0; start < s.get(0); start += batch) {
                NDArray x = frames.get(start + ":" + Math.min(s.get(0), start + batch)); // [n, 3, S, S]
                if (c.isVideo()) {
                    x = x.expandDims(2).repeat(2, c.tubeletSize()); // [n, 3, tubelet, S, S]: a still tubelet
                }
                NDArray h = encoder.encode(x); // [n, H*W, E]
                parts.add(JepaLoss.layerNormNoAffine(h)); // [n, H*W, E], eps 1e-5
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    /**
     * Image height and width the encoder takes.
     *
     * @return image height and width the encoder takes
     */
    public int imageSize() {
        return encoder.config().imageSize();
    }

    /**
     * Patch size.
     *
     * @return patch size
     */
    public int patchSize() {
        return encoder.config().patchSize();
    }

    /**
     * Tokens per frame, {@code (S / patch)^2}.
     *
     * @return tokens per frame, {@code (S / patch)^2}
     */
    public int tokensPerFrame() {
        int g = imageSize() / patchSize();
        return g * g;
    }

    /**
     * Token width E.
     *
     * @return token width E
     */
    public int width() {
        return encoder.config().width();
    }

    /**
     * The encoder's device.
     *
     * @return the encoder's device
     */
    public Device device() {
        return encoder.device();
    }

    /**
     * Where the encoder came from.
     *
     * @return where the encoder came from
     */
    public String source() {
        return source;
    }

    /**
     * A description of the weights.
     *
     * @return a description of the weights
     */
    public String description() {
        return encoder.description();
    }

    @Override
    public void close() {
        encoder.close();
    }
}
