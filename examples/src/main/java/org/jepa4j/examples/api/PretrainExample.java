package org.jepa4j.examples.api;

import java.nio.file.Path;
import java.util.List;
import org.jepa4j.train.Trainer;
import org.jepa4j.train.TrainingSummary;
import org.jepa4j.train.config.TrainConfig;
import org.jepa4j.video.source.VideoSource;

/**
 * Builds a tiny V-JEPA from the {@code vjepa_tiny} preset and pretrains it for a few steps on a folder of videos.
 *
 * <p>Run: {@code java -cp examples/target/jepa4j.jar org.jepa4j.examples.api.PretrainExample videos/ runs/api 20}
 */
public final class PretrainExample {

    private PretrainExample() {
    }

    /**
     * Pretrains {@code steps} optimizer steps.
     *
     * @param videos a folder of videos (sub-folder names are labels; pretraining ignores them)
     * @param runDir the run directory (config.yaml, checkpoints/, metrics.csv, plots/)
     * @param steps optimizer steps
     * @return the training summary
     */
    public static TrainingSummary run(Path videos, Path runDir, int steps) {
        // The preset plus overrides, exactly like a YAML file with --set lines: one epoch of `steps` iterations.
        TrainConfig config = TrainConfig.preset("vjepa_tiny", List.of(
                "optimization.ipe=" + steps,
                "optimization.epochs=1",
                "optimization.warmup=0.1",
                "data.batch_size=4",
                "meta.device=cpu",
                "logging.collapse_freq=0"));
        return Trainer.builder()
                .setConfig(config)
                .optRunDirectory(runDir)
                .optSource(VideoSource.fromFolder(videos))
                .build()
                .fit();
    }

    /**
     * Entry point.
     *
     * @param args video folder, run directory, steps (default 20)
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: PretrainExample <video folder> <run dir> [steps]");
            System.exit(2);
        }
        TrainingSummary s = run(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 20);
        System.out.printf("%d steps, final loss %.4f, checkpoint %s%n", s.steps(), s.finalLoss(), s.checkpoint());
    }
}
