package org.jepa4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.metrics.StepMetrics;
import org.jepa4j.train.step.StepResult;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.SyntheticVideos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live NDArrays and resident memory stay flat over a few hundred tiny training steps of the full trainer loop. */
class MemoryTest {

    /** The root of every NDManager (a base manager's parent): its arrays are all live arrays of the JVM. */
    private static final ai.djl.ndarray.NDManager SYSTEM = ai.djl.ndarray.NDManager.newBaseManager().getParentManager();

    @TempDir
    Path tmp;

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void liveArraysAndRssStayFlat() throws Exception {
        SyntheticVideos.write(tmp.resolve("videos"), new SyntheticVideos.Spec(8, 8, 16, 16, 1, 3));
        TrainConfig cfg = TinyConfigs.vjepa(tmp.resolve("run").toString(), List.of(
                "data.batch_size=2", "data.crop_size=16", "data.num_frames=4", "model.embed_dim=32",
                "model.num_heads=2", "model.depth=1", "model.pred_embed_dim=32", "model.pred_num_heads=2",
                "model.pred_depth=1", "optimization.ipe=100", "optimization.epochs=3", "logging.collapse_freq=50",
                "logging.log_freq=100", "meta.checkpoint_every_steps=100"));
        Map<Long, long[]> probes = new TreeMap<>();
        TrainingSummary s = Trainer.builder().setConfig(cfg).optSource(VideoSource.fromFolder(tmp.resolve("videos")))
                .addListener(new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics m, StepResult r) {
                        if (m.step() == 50 || m.step() == 150 || m.step() == 250) {
                            try {
                                System.gc();
                                probes.put(m.step(), new long[] {
                                    SYSTEM.getManagedArrays().size(), rssKb()});
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                }).build().fit();
        assertEquals(300, s.steps());
        long[] a = probes.get(50L);
        long[] b = probes.get(150L);
        long[] c = probes.get(250L);
        System.out.printf("memory: live arrays %d / %d / %d, RSS %d / %d / %d kB at steps 50 / 150 / 250%n",
                a[0], b[0], c[0], a[1], b[1], c[1]);
        assertEquals(a[0], b[0], "live NDArrays grew between steps 50 and 150");
        assertEquals(a[0], c[0], "live NDArrays grew between steps 50 and 250");
        assertTrue(c[1] - b[1] < 48 * 1024, "RSS grew by " + (c[1] - b[1]) + " kB over 100 steps");
    }
}
