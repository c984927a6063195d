package org.jepa4j.video.decode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Decodes chosen frames of one file at a time to packed RGB24 at a chosen size, with FFmpeg through JavaCV.
 *
 * <p>Not thread-safe: use one decoder per worker thread. The decoder holds at most one
 * {@link FFmpegFrameGrabber} (the file opened last); {@link #close()} releases it.
 *
 * <p>How a request is served ({@link #read}):
 * <ul>
 *   <li>FFmpeg converts and scales each wanted frame straight to RGB24 at the requested size
 *       ({@code setPixelFormat} + {@code setImageWidth/Height}, swscale bilinear); rows are copied with
 *       one bulk {@link ByteBuffer#get} each, honoring the padded stride ({@code imageStride}).</li>
 *   <li>Frames between wanted ids are decoded but not converted (no swscale work for them).</li>
 *   <li>When the next wanted id lies {@code seekThreshold} or more frames ahead, the decoder seeks
 *       frame-accurately ({@code setVideoFrameNumber}: keyframe, then decode forward) instead of
 *       decoding everything in between.</li>
 *   <li>Ids past the real end of the stream get a copy of the last decoded frame (padding).</li>
 *   <li>Rotation metadata is applied (90/180/270 degrees) so frames come out in display orientation;
 *       this is the only per-pixel Java loop and runs only for rotated files.</li>
 * </ul>
 * Frame ids count decoded frames from the start of the stream; in variable-frame-rate files they are
 * therefore frame numbers, not times.
 */
public final class ClipDecoder implements AutoCloseable {

    /** Default distance (in frames) from which seeking beats decoding forward. */
    public static final int DEFAULT_SEEK_THRESHOLD = 48;

    private final int threads;
    private final int seekThreshold;
    private final int scalingFlags;

    private FFmpegFrameGrabber grabber;
    private Path file;
    private VideoInfo info;
    private int position;

    /** A decoder with one FFmpeg decoding thread, the default seek threshold and bilinear scaling. */
    public ClipDecoder() {
        this(1, DEFAULT_SEEK_THRESHOLD, SWS_BILINEAR);
    }

    /**
     * @param threads FFmpeg decoding threads per file (1 when several workers decode in parallel, 0 = auto)
     * @param seekThreshold seek when the next wanted frame is at least this many frames ahead
     * @param scalingFlags swscale flags, e.g. {@code SWS_BILINEAR}, {@code SWS_FAST_BILINEAR}, {@code SWS_AREA}
     */
    public ClipDecoder(int threads, int seekThreshold, int scalingFlags) {
        if (threads < 0 || seekThreshold < 1) {
            throw new IllegalArgumentException("threads must be >= 0 and seekThreshold >= 1, got "
                    + threads + ", " + seekThreshold);
        }
        this.threads = threads;
        this.seekThreshold = seekThreshold;
        this.scalingFlags = scalingFlags;
        FFmpegLogLevel.applyOnce();
    }

    /**
     * Opens a file (closing the previous one) and reports its video stream.
     *
     * @param path media file (video or still image)
     * @return stream information; sizes are in display orientation
     * @throws UnreadableVideoException if the file is empty, FFmpeg cannot open it, or it has no video stream
     */
    public VideoInfo open(Path path) throws UnreadableVideoException {
        closeFile();
        try {
            if (!Files.isRegularFile(path)) {
                throw new UnreadableVideoException(path, "not a regular file");
            }
            if (Files.size(path) == 0) {
                throw new UnreadableVideoException(path, "empty file (0 bytes)");
            }
        } catch (java.io.IOException e) {
            if (e instanceof UnreadableVideoException u) {
                throw u;
            }
            throw new UnreadableVideoException(path, "cannot read file: " + e.getMessage(), e);
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(path.toFile());
        g.setPixelFormat(AV_PIX_FMT_RGB24);
        g.setImageScalingFlags(scalingFlags);
        g.setVideoOption("threads", Integer.toString(threads));
        try {
            g.start();
        } catch (Exception | LinkageError e) {
            releaseQuietly(g);
            throw new UnreadableVideoException(path, "FFmpeg cannot open it (" + firstLine(e.getMessage()) + ")", e);
        }
        grabber = g;
        file = path;
        position = 0;
        if (!g.hasVideo()) {
            closeFile();
            throw new UnreadableVideoException(path, "no video stream (audio-only or data file)");
        }
        int codedW = g.getImageWidth();
        int codedH = g.getImageHeight();
        if (codedW <= 0 || codedH <= 0) {
            closeFile();
            throw new UnreadableVideoException(path, "video stream has no frame size");
        }
        double fps = g.getVideoFrameRate();
        if (!(fps > 0) || Double.isInfinite(fps) || fps > 1000) {
            fps = 0;
        }
        long frames = 0;
        try {
            frames = fps > 0 && g.getFormatContext().duration() > 0 ? g.getLengthInVideoFrames() : 0;
        } catch (RuntimeException e) {
            frames = 0;
        }
        int rotation = clockwiseRotation(g.getDisplayRotation());
        boolean swap = rotation == 90 || rotation == 270;
        info = new VideoInfo(swap ? codedH : codedW, swap ? codedW : codedH, fps,
                (int) Math.max(0, Math.min(frames, Integer.MAX_VALUE)), rotation, String.valueOf(g.getVideoCodecName()));
        return info;
    }

    /**
     * Information about the file opened last, or null.
     *
     * @return information about the file opened last, or null
     */
    public VideoInfo info() {
        return info;
    }

    /**
     * Decodes the given frame ids of the open file at the given display size.
     *
     * @param frameIds 0-based frame numbers, any order, repeats allowed
     * @param width output width (display orientation)
     * @param height output height (display orientation)
     * @return one frame per id, in the order of {@code frameIds}, layout [T, H, W, 3]
     * @throws UnreadableVideoException if no frame at all can be decoded or FFmpeg fails
     */
    public RgbFrames read(int[] frameIds, int width, int height) throws UnreadableVideoException {
        if (grabber == null) {
            throw new IllegalStateException("read() before a successful open()");
        }
        if (frameIds.length == 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("need >= 1 frame id and a positive size, got "
                    + frameIds.length + " ids, " + width + "x" + height);
        }
        boolean swap = info.transposed();
        int codedW = swap ? height : width;
        int codedH = swap ? width : height;
        grabber.setImageWidth(codedW);
        grabber.setImageHeight(codedH);

        int frameBytes = width * height * 3;
        byte[] out = new byte[frameIds.length * frameBytes]; // [T, H, W, 3]
        byte[] coded = info.rotation() == 0 ? null : new byte[frameBytes]; // [codedH, codedW, 3]
        int[] order = sortedOrder(frameIds);
        int lastSlot = -1; // output slot holding the last decoded frame
        int padded = 0;
        boolean ended = false;
        try {
            for (int k = 0; k < order.length; k++) {
                int slot = order[k];
                int id = Math.max(0, frameIds[slot]);
                if (lastSlot >= 0 && Math.max(0, frameIds[lastSlot]) == id) {
                    System.arraycopy(out, lastSlot * frameBytes, out, slot * frameBytes, frameBytes); // repeated id
                    lastSlot = slot;
                    continue;
                }
                Frame f = ended ? null : advanceTo(id);
                if (f == null || f.image == null || f.image[0] == null) {
                    ended = true;
                    if (lastSlot < 0) {
                        throw new UnreadableVideoException(file, "no decodable video frame"
                                + (id > 0 ? " up to frame " + id : ""));
                    }
                    System.arraycopy(out, lastSlot * frameBytes, out, slot * frameBytes, frameBytes);
                    padded++;
                } else {
                    if (coded == null) {
                        copyRows(f, out, slot * frameBytes, codedW, codedH);
                    } else {
                        copyRows(f, coded, 0, codedW, codedH);
                        rotate(coded, codedW, codedH, info.rotation(), out, slot * frameBytes);
                    }
                }
                lastSlot = slot;
            }
        } catch (UnreadableVideoException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new UnreadableVideoException(file, "decoding failed (" + firstLine(e.getMessage()) + ")", e);
        }
        return new RgbFrames(out, frameIds.length, width, height, padded);
    }

    /** Releases the open file, if any. The decoder can open another file afterwards. */
    @Override
    public void close() {
        closeFile();
    }

    /** Moves to frame {@code id} (seeking or decoding forward) and returns it converted, or null at the end. */
    private Frame advanceTo(int id) throws Exception {
        if (id < position || id - position >= seekThreshold) {
            grabber.setVideoFrameNumber(id); // keyframe seek, then decode forward to the exact frame
            position = id;
        }
        int guard = 0;
        while (position < id) {
            Frame skipped = grabber.grabFrame(false, true, false, false, false); // decode, no RGB conversion
            if (skipped == null) {
                return null;
            }
            position++;
            if (++guard > 1_000_000) {
                return null;
            }
        }
        Frame f = grabber.grabFrame(false, true, true, false, false);
        if (f != null) {
            position++;
        }
        return f;
    }

    /** Copies a converted frame into {@code dst} row by row (source rows are padded to imageStride). */
    private static void copyRows(Frame f, byte[] dst, int offset, int w, int h) {
        if (f.imageWidth != w || f.imageHeight != h) {
            throw new IllegalStateException("FFmpeg returned " + f.imageWidth + "x" + f.imageHeight
                    + ", expected " + w + "x" + h);
        }
        ByteBuffer buf = (ByteBuffer) f.image[0];
        int stride = f.imageStride;
        int rowBytes = w * 3;
        if (stride == rowBytes) {
            buf.get(0, dst, offset, rowBytes * h);
            return;
        }
        for (int y = 0; y < h; y++) {
            buf.get(y * stride, dst, offset + y * rowBytes, rowBytes);
        }
    }

    /** Rotates a packed RGB frame clockwise by 90, 180 or 270 degrees into {@code dst}. */
    static void rotate(byte[] src, int w, int h, int rotation, byte[] dst, int offset) {
        int dw = rotation == 180 ? w : h; // display width
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                if (rotation == 90) { // clockwise: left column becomes the top row
                    dx = h - 1 - y;
                    dy = x;
                } else if (rotation == 270) {
                    dx = y;
                    dy = w - 1 - x;
                } else {
                    dx = w - 1 - x;
                    dy = h - 1 - y;
                }
                int s = (y * w + x) * 3;
                int d = offset + (dy * dw + dx) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
    }

    /** Indices of {@code ids} sorted by id (stable). */
    private static int[] sortedOrder(int[] ids) {
        long[] keyed = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            keyed[i] = ((long) Math.max(0, ids[i]) << 32) | i;
        }
        Arrays.sort(keyed);
        int[] order = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            order[i] = (int) keyed[i];
        }
        return order;
    }

    /** FFmpeg's display matrix angle (counter-clockwise) to a clockwise rotation in {0, 90, 180, 270}. */
    static int clockwiseRotation(double displayRotation) {
        if (Double.isNaN(displayRotation)) {
            return 0;
        }
        long r = Math.round(-displayRotation / 90.0) * 90;
        return (int) (((r % 360) + 360) % 360);
    }

    private void closeFile() {
        if (grabber != null) {
            releaseQuietly(grabber);
        }
        grabber = null;
        file = null;
        info = null;
        position = 0;
    }

    private static void releaseQuietly(FFmpegFrameGrabber g) {
        try {
            g.release();
        } catch (Exception | LinkageError ignored) {
            // nothing more can be done for a grabber that fails to release
        }
        try {
            g.close();
        } catch (Exception | LinkageError ignored) {
            // already released
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        for (String noise : new String[] {" (For more details", " (Has setFormat()"}) {
            int hint = line.indexOf(noise);
            line = hint < 0 ? line : line.substring(0, hint);
        }
        return line.replace("-1094995529", "AVERROR_INVALIDDATA");
    }
}
