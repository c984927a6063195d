package org.jepa4j.examples.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jepa4j.core.world.AcPredictorConfig;
import org.jepa4j.core.world.ActionConditionedPredictor;
import org.jepa4j.core.world.TensorFilePrediction;
import org.jepa4j.train.world.WorldModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jepa4j world predict}: runs an action-conditioned predictor on tensors from a safetensors file
 * ({@link TensorFilePrediction}); the weights are a released {@code .pt} (with {@code --config}), jepa4j's own
 * predictor file, or a {@code world train} run directory.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Predict next-frame tokens with an action-conditioned predictor (tensor mode).",
            "",
            "IN holds tokens [B, T*H*W, E], actions [B, T, A], states [B, T, A] (and extrinsics [B, T, A-1] when "
                    + "the predictor uses them); OUT gets predictions [B, T*H*W, E], where step t predicts frame "
                    + "t+1's tokens."
        },
        footer = {
            "",
            "Examples:",
            "  jepa4j world predict --weights vjepa2-ac-vitg.pt --config ac_vitg.json --tensors in.safetensors "
                    + "--out out.safetensors",
            "  jepa4j world predict --weights runs/world --tensors in.safetensors --out out.safetensors"
        })
public final class WorldPredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--weights", paramLabel = "FILE", required = true,
            description = "A released PyTorch checkpoint (.pt: its 'predictor' entry, keys prefixed module./backbone."
                    + " or not), a jepa4j predictor .safetensors file, or a 'world train' run directory.")
    Path weights;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Predictor configuration (JSON or YAML, the reference constructor's names); required for "
                    + "a .pt checkpoint.")
    Path config;

    @Option(names = "--tensors", paramLabel = "IN", required = true,
            description = "Input safetensors file (tokens, actions, states[, extrinsics]).")
    Path tensors;

    @Option(names = "--out", paramLabel = "OUT", required = true, description = "Output safetensors file.")
    Path out;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8",
            description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    DeviceThreadsOptions compute;

    @Override
    public Integer call() throws Exception {
        compute.applyThreads(spec.commandLine());
        compute.checkDevice(spec.commandLine());
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be >= 1, got " + batch);
        }
        DataPaths.requireExisting(weights, tensors, config);
        PrintWriter o = spec.commandLine().getOut();
        Device dev = compute.resolve();
        AcPredictorConfig cfg = config == null ? null : AcPredictorConfig.read(config);
        long t0 = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager(dev)) {
            ActionConditionedPredictor predictor = Files.isDirectory(weights)
                    ? WorldModel.loadPredictor(weights, manager)
                    : ActionConditionedPredictor.open(weights, cfg, manager);
            predictor.setTrainable(false);
            Shape shape = TensorFilePrediction.run(predictor, tensors, out, batch);
            o.printf(Locale.ROOT, "jepa4j world predict: %s %s -> %s in %s%n", TensorFilePrediction.OUTPUT_KEY, shape,
                    out, PretrainCommand.duration((System.nanoTime() - t0) / 1e9));
        }
        return 0;
    }
}
