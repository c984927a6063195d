package org.jepa4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jepa4j.video.synthetic.SyntheticVideos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jepa4j pretrain --init-from}: continued pretraining of the tiny Hugging Face V-JEPA 2 fixture. */
class InitFromCommandTest {

    /** The fixture's shapes on top of vjepa_tiny: width 96, depth 2, 4 heads, 4 frames of 64 px, patch 16. */
    private static Object[] args(Path videos, Path out, String... extra) {
        Object[] base = {"pretrain", "--data", videos, "--config", "vjepa_tiny", "--init-from", Cli.HF_FIXTURE,
            "--steps", 2, "--out", out, "--set", "model.variant=vjepa2", "--set", "model.depth=2",
            "--set", "model.num_heads=4", "--set", "model.pred_num_heads=4", "--set", "model.num_mask_tokens=10",
            "--set", "data.num_frames=4", "--set", "data.patch_size=16", "--set", "data.batch_size=2",
            "--set", "data.num_workers=1", "--set", "logging.progress_bar=false", "--set", "logging.collapse_freq=0"};
        Object[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void continuesPretrainingFromHuggingFaceWeights(@TempDir Path dir) throws Exception {
        Path videos = dir.resolve("videos");
        SyntheticVideos.write(videos, new SyntheticVideos.Spec(8, 16, 32, 16, 2, 3));
        Cli.Result r = Cli.run(args(videos, dir.resolve("run")));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("starting from Hugging Face V-JEPA 2 model"), r.out());
        String yaml = Files.readString(dir.resolve("run/config.yaml"));
        assertTrue(yaml.contains("init_from: " + Cli.HF_FIXTURE), yaml);

        Cli.Result bad = Cli.run(args(videos, dir.resolve("deeper"), "--set", "model.depth=3"));
        assertEquals(1, bad.code(), bad.toString());
        assertEquals(1, bad.err().strip().lines().count(), "one line: " + bad.err());
        assertTrue(bad.err().contains("model.safetensors") && bad.err().contains("encoder.blocks.2.attn.qkv.weight"),
                bad.err());
    }
}
