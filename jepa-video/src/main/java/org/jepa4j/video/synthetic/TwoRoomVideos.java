package org.jepa4j.video.synthetic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.jepa4j.video.decode.FFmpegLogLevel;

/**
 * Writes random-walk episodes of the two-room world ({@link TwoRoomEpisodes#simulate}) as plain MP4 videos, the
 * input of video pretraining (an encoder pretrained on the world's own videos before a world model is trained on
 * its features).
 */
public final class TwoRoomVideos {

    private TwoRoomVideos() {}

    /**
     * Writes {@code spec.episodes()} videos of {@code spec.frames()} frames to {@code folder}.
     *
     * @param folder destination (created)
     * @param spec what to simulate
     * @return the written files
     * @throws IOException if a file cannot be written
     */
    public static List<Path> write(Path folder, TwoRoomEpisodes.Spec spec) throws IOException {
        Files.createDirectories(folder);
        List<Path> files = new ArrayList<>();
        int size = spec.world().size();
        FFmpegLogLevel.applyOnce();
        for (int i = 0; i < spec.episodes(); i++) {
            TwoRoomEpisodes.Episode e = TwoRoomEpisodes.simulate(spec, i);
            TwoRoomWorld world = new TwoRoomWorld(spec.world(), e.doorY());
            Path file = folder.resolve(String.format(Locale.ROOT, "two_room_%05d.mp4", i));
            try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), size, size, 0);
                    Frame frame = new Frame(size, size, Frame.DEPTH_UBYTE, 3)) {
                recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                recorder.setFormat("mp4");
                recorder.setFrameRate(10);
                recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                recorder.setVideoQuality(2);
                recorder.start();
                int stride = frame.imageStride;
                byte[] row = new byte[stride * size];
                ByteBuffer buffer = (ByteBuffer) frame.image[0];
                for (double[] s : e.states()) {
                    byte[] rgb = world.render(s);
                    for (int y = 0; y < size; y++) {
                        System.arraycopy(rgb, y * size * 3, row, y * stride, size * 3);
                    }
                    buffer.clear();
                    buffer.put(row);
                    buffer.rewind();
                    recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
                }
                recorder.stop();
            } catch (FFmpegFrameRecorder.Exception ex) {
                throw new IOException("cannot write video " + file + ": " + ex.getMessage(), ex);
            }
            files.add(file);
        }
        return files;
    }
}
