package org.jepa4j.train.world;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jepa4j.video.decode.ClipDecoder;
import org.jepa4j.video.decode.RgbFrames;
import org.jepa4j.video.decode.UnreadableVideoException;
import org.jepa4j.video.transform.Normalization;

/**
 * Reads frames of episodes as normalized pixels {@code [n, 3, size, size]}: images through ImageIO, videos through
 * FFmpeg ({@link ClipDecoder}); every frame is resized (bilinear) to {@code size x size} and normalized with the
 * ImageNet statistics, as the frozen encoders expect. Not thread-safe (one per loading thread); close it to free the
 * decoder.
 */
public final class FrameReader implements AutoCloseable {

    private final int size;
    private final Normalization norm;
    private final ClipDecoder decoder = new ClipDecoder();
    private Path openVideo;

    /**
     * Creates a reader.
     *
     * @param size output height and width (the encoder's image size)
     */
    public FrameReader(int size) {
        this(size, Normalization.IMAGENET);
    }

    /**
     * Creates a reader with another normalization.
     *
     * @param size output height and width
     * @param norm per-channel normalization
     */
    public FrameReader(int size, Normalization norm) {
        if (size < 1) {
            throw new IllegalArgumentException("frame size must be >= 1, got " + size);
        }
        this.size = size;
        this.norm = norm;
    }

    /**
     * The output height and width.
     *
     * @return the output height and width
     */
    public int size() {
        return size;
    }

    /**
     * Reads frames of an episode into {@code out} at {@code offset}.
     *
     * @param episode the episode
     * @param frameIds 0-based frame numbers
     * @param out destination, {@code frameIds.length * 3 * size * size} floats from {@code offset} (channel-major
     *     per frame)
     * @param offset first index written
     * @throws EpisodeException naming the episode and the file when a frame cannot be read
     */
    public void read(Episode episode, int[] frameIds, float[] out, int offset) {
        int plane = size * size;
        if (episode.video() != null) {
            RgbFrames rgb;
            try {
                if (!episode.video().equals(openVideo)) {
                    openVideo = null;
                    decoder.open(episode.video());
                    openVideo = episode.video();
                }
                rgb = decoder.read(frameIds, size, size);
            } catch (UnreadableVideoException e) {
                throw new EpisodeException(episode.dir(), "unreadable frames: " + e.getMessage(), e);
            }
            byte[] d = rgb.data();
            for (int f = 0; f < frameIds.length; f++) {
                int src = f * rgb.frameBytes();
                int dst = offset + f * 3 * plane;
                for (int i = 0; i < plane; i++) {
                    for (int c = 0; c < 3; c++) {
                        out[dst + c * plane + i] = norm.apply(c, d[src + 3 * i + c] & 0xff);
                    }
                }
            }
            return;
        }
        for (int f = 0; f < frameIds.length; f++) {
            Path file = episode.images().get(frameIds[f]);
            BufferedImage img;
            try {
                img = ImageIO.read(file.toFile());
            } catch (IOException | RuntimeException e) {
                throw new EpisodeException(episode.dir(), "unreadable frame " + file.getFileName() + ": " + e, e);
            }
            if (img == null) {
                throw new EpisodeException(episode.dir(), "unreadable frame " + file.getFileName()
                        + ": not an image ImageIO can decode");
            }
            BufferedImage scaled = img;
            if (img.getWidth() != size || img.getHeight() != size || img.getType() != BufferedImage.TYPE_INT_RGB) {
                scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = scaled.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(img, 0, 0, size, size, null);
                g.dispose();
            }
            int dst = offset + f * 3 * plane;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int rgbv = scaled.getRGB(x, y);
                    int i = y * size + x;
                    out[dst + i] = norm.apply(0, (rgbv >> 16) & 0xff);
                    out[dst + plane + i] = norm.apply(1, (rgbv >> 8) & 0xff);
                    out[dst + 2 * plane + i] = norm.apply(2, rgbv & 0xff);
                }
            }
        }
    }

    @Override
    public void close() {
        decoder.close();
    }
}
