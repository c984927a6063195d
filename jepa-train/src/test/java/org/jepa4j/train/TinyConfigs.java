package org.jepa4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.video.source.VideoSource;
import org.jepa4j.video.synthetic.SyntheticVideos;

/** Tiny training configurations and data for the trainer tests (2 CPU cores). */
public final class TinyConfigs {

    private TinyConfigs() {
    }

    /** Tiny V-JEPA: width 96, depth 2, 8 frames of 32 px, tubelet 2, patch 8 (4 x 4 x 4 = 64 tokens). */
    public static TrainConfig vjepa(String folder, List<String> extra) {
        List<String> o = new ArrayList<>(List.of(
                "data.batch_size=4", "data.num_frames=8", "data.crop_size=32", "data.patch_size=8",
                "data.sampling_rate=2", "data.num_workers=1",
                "model.embed_dim=96", "model.depth=2", "model.num_heads=3",
                "model.pred_depth=2", "model.pred_embed_dim=48", "model.pred_num_heads=3",
                "optimization.ipe=4", "optimization.epochs=2", "optimization.warmup=1",
                "meta.device=cpu", "meta.checkpoint_every_steps=0", "logging.folder=" + folder,
                "logging.progress_bar=false", "logging.log_freq=1", "logging.collapse_freq=0"));
        o.addAll(extra);
        return TrainConfig.preset("vjepa_tiny", o);
    }

    /**
     * A V-JEPA 2 configuration with the shapes of the Hugging Face test fixture {@code hf/vjepa2-tiny}: width 96,
     * depth 2, 4 heads, predictor 48 x 2 with 10 mask tokens, 4 frames of 64 px, patch 16, tubelet 2 (32 tokens).
     */
    public static TrainConfig vjepa2LikeHfFixture(String folder, List<String> extra) {
        List<String> o = new ArrayList<>(List.of(
                "model.variant=vjepa2", "model.num_heads=4", "model.pred_num_heads=4", "model.num_mask_tokens=10",
                "data.num_frames=4", "data.crop_size=64", "data.patch_size=16", "data.batch_size=2"));
        o.addAll(extra);
        return vjepa(folder, o);
    }

    /** Writes the trainer tests' 16 synthetic videos (16 frames of 32 x 16 px) to {@code dir} and returns them. */
    public static VideoSource videos(Path dir) throws IOException {
        SyntheticVideos.write(dir, new SyntheticVideos.Spec(16, 16, 32, 16, 2, 5));
        return VideoSource.fromFolder(dir);
    }
}
