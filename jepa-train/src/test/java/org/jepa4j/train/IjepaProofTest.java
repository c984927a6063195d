package org.jepa4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.train.metrics.MetricsLog;
import org.jepa4j.train.metrics.StepMetrics;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.ShapesWorld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny I-JEPA (multiblock 2D masks, one mask token, smooth L1) on still frames of the shapes world, written as
 * PNG images and read through the real loader in image mode: the loss falls and the features do not collapse.
 */
class IjepaProofTest {

    @TempDir
    Path tmp;

    static final String YAML = """
            data: {dataset_type: image, batch_size: 8, num_frames: 1, tubelet_size: 1, crop_size: 64, patch_size: 8,
                   num_workers: 2}
            data_aug: {random_resize_scale: [0.5, 1.0]}
            mask: {type: multiblock2d, min_keep: 4,
                   sets: [{num_blocks: 4, spatial_scale: [0.15, 0.2], aspect_ratio: [0.75, 1.5]}]}
            model: {variant: ijepa, model_name: custom, embed_dim: 96, depth: 2, num_heads: 3,
                    pred_depth: 2, pred_embed_dim: 48, pred_num_heads: 3}
            loss: {type: smooth_l1}
            optimization: {ipe: 30, epochs: 4, warmup: 1, start_lr: 0.0002, lr: 0.001, final_lr: 1.0e-6,
                           ema: [0.996, 1.0], clip_grad: null}
            meta: {device: cpu, checkpoint_every_steps: 0}
            logging: {progress_bar: false, log_freq: 30, collapse_freq: 30}
            """;

    @Test
    void tinyIjepaTrainsOnImages() throws Exception {
        Random rng = new Random(4);
        for (int i = 0; i < 48; i++) {
            ShapesWorld w = new ShapesWorld(64, 2, i % 2, new Random(rng.nextLong()));
            for (int s = 0; s < rng.nextInt(20); s++) {
                w.step();
            }
            byte[] rgb = new byte[64 * 64 * 3];
            w.render(rgb, 64 * 3);
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    int o = (y * 64 + x) * 3;
                    img.setRGB(x, y, (rgb[o] & 255) << 16 | (rgb[o + 1] & 255) << 8 | (rgb[o + 2] & 255));
                }
            }
            Path f = tmp.resolve("images").resolve("frame_" + i + ".png");
            Files.createDirectories(f.getParent());
            ImageIO.write(img, "png", f.toFile());
        }
        TrainConfig cfg = TrainConfig.fromYaml(YAML, "ijepa test", List.of("logging.folder=" + tmp.resolve("run")));
        TrainingSummary s = Trainer.builder().setConfig(cfg).optSource(VideoSource.fromFolder(tmp.resolve("images")))
                .build().fit();
        assertEquals(120, s.steps());
        List<StepMetrics> rows = MetricsLog.read(s.metricsFile());
        assertEquals(4, rows.get(0).lossPerMaskSet().size(), "one loss per target block");
        double first = rows.subList(0, 10).stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
        double last = rows.subList(rows.size() - 10, rows.size()).stream().mapToDouble(StepMetrics::loss).average()
                .orElseThrow();
        System.out.printf("I-JEPA proof: %d steps, loss %.4f -> %.4f, RankMe %.2f, std %.3f%n", s.steps(), first, last,
                s.lastCollapse().rankMe(), s.lastCollapse().stdMean());
        assertTrue(last < 0.7 * first, "loss should fall: " + first + " -> " + last);
        assertTrue(s.lastCollapse().rankMe() > 2.0, "RankMe " + s.lastCollapse().rankMe());
        assertTrue(s.lastCollapse().stdMean() > 0.01, "std " + s.lastCollapse().stdMean());
    }
}
