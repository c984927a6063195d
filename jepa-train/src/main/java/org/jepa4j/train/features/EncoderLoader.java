package org.jepa4j.train.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jepa4j.core.hf.HfCheckpoints;
import org.jepa4j.core.hf.HfConfig;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.model.StateDict;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.train.weights.WeightSource;

/**
 * Where a frozen encoder's weights come from: the plug-in point of {@link FrozenEncoder}. Implement it for
 * another checkpoint format (e.g. the trainer's checkpoints) by building a {@link VisionTransformer} under the
 * given manager and filling its parameters, for example with {@link StateDict#load}.
 */
public interface EncoderLoader {

    /**
     * Builds the encoder and loads its weights.
     *
     * @param manager owner of every parameter and buffer of the encoder
     * @return the loaded encoder
     * @throws IOException if a file is missing or unreadable
     * @throws IllegalArgumentException for a bad configuration or mismatched weights
     */
    VisionTransformer load(NDManager manager) throws IOException;

    /**
     * A short description of the source, for logs and file metadata.
     *
     * @return e.g. {@code huggingFace:models/vjepa2} or {@code jepa4j:runs/a/checkpoints/step-000000100#target_encoder}
     */
    String description();

    /**
     * The encoder of whatever a path holds, recognized by the one weight resolver ({@link WeightSource}): a jepa4j
     * run or checkpoint ({@link #jepa4jRun}) or a Hugging Face model directory ({@link #huggingFace}).
     *
     * @param path the weights
     * @return the loader
     * @throws IOException if the path is missing, of no known kind, or a file (a safetensors file needs its
     *     configuration: {@link #safeTensors(Path, VitConfig)}; a reference {@code .pt} holds a training state)
     */
    static EncoderLoader of(Path path) throws IOException {
        WeightSource source = WeightSource.resolve(path);
        return switch (source.kind()) {
            case JEPA4J_RUN -> RunEncoderLoader.of(source.run());
            case HUGGING_FACE -> huggingFace(path);
            case SAFETENSORS -> throw new IOException(path + ": a safetensors file does not say which encoder it "
                    + "holds; load it with EncoderLoader.safeTensors(file, config)");
            case REFERENCE_PT -> throw new IOException(path + ": not a jepa4j run or checkpoint, nor a Hugging Face "
                    + "model directory (a frozen encoder is read from one of these)");
        };
    }

    /**
     * A Hugging Face model directory ({@code config.json} + {@code model.safetensors}): the encoder of a
     * {@code vjepa2} model (VJEPA2Model or VJEPA2ForVideoClassification; its predictor and classifier are loaded
     * too and stay in the manager) or an {@code ijepa} model.
     *
     * @param dir the model directory
     * @return the loader
     */
    static EncoderLoader huggingFace(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new EncoderLoader() {
            @Override
            public VisionTransformer load(NDManager manager) throws IOException {
                String type = HfConfig.read(dir).modelType();
                switch (type) {
                    case "vjepa2":
                        return HfCheckpoints.loadVJepa2(dir, manager).encoder();
                    case "ijepa":
                        return HfCheckpoints.loadIJepa(dir, manager);
                    default:
                        throw new IllegalArgumentException(dir.resolve("config.json") + ": model_type '" + type
                                + "' has no encoder loader (supported: vjepa2, ijepa)");
                }
            }

            @Override
            public String description() {
                return "huggingface:" + dir;
            }
        };
    }

    /**
     * A jepa4j training run: the target (EMA) encoder of its latest checkpoint, configured from the run's
     * {@code config.yaml}; also accepts a {@code checkpoints/step-N} directory. See {@link RunEncoderLoader}.
     *
     * @param runOrCheckpoint a run directory, its checkpoints folder, or a checkpoint directory
     * @return the loader (its {@link RunEncoderLoader#config()} gives the run's clip geometry)
     * @throws IOException if the path is missing, is not a run or checkpoint, or its config cannot be read
     */
    static RunEncoderLoader jepa4jRun(Path runOrCheckpoint) throws IOException {
        return RunEncoderLoader.of(runOrCheckpoint);
    }

    /**
     * A safetensors file of encoder parameters under our reference names ({@code patch_embed.proj.weight},
     * {@code blocks.0.attn.qkv.weight}, ..., {@code norm.bias}) and the configuration they were trained with.
     *
     * @param file the weights
     * @param config the encoder's hyper-parameters
     * @return the loader
     */
    static EncoderLoader safeTensors(Path file, VitConfig config) {
        return safeTensors(file, config, "");
    }

    /**
     * As {@link #safeTensors(Path, VitConfig)}, taking only the tensors whose names start with {@code prefix}
     * (e.g. {@code "target_encoder."} in a file holding a whole training state) and removing the prefix.
     *
     * @param file the weights
     * @param config the encoder's hyper-parameters
     * @param prefix name prefix of the encoder's tensors, or empty to take every tensor
     * @return the loader
     */
    static EncoderLoader safeTensors(Path file, VitConfig config, String prefix) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(prefix, "prefix");
        return new EncoderLoader() {
            @Override
            public VisionTransformer load(NDManager manager) throws IOException {
                VisionTransformer encoder = new VisionTransformer(config, manager, 0L);
                try (NDManager tmp = manager.newSubManager();
                        SafeTensorsReader reader = SafeTensors.open(file)) {
                    Map<String, NDArray> tensors = new LinkedHashMap<>();
                    for (String name : reader.names()) {
                        if (name.startsWith(prefix)) {
                            tensors.put(name.substring(prefix.length()), reader.load(name, tmp));
                        }
                    }
                    if (tensors.isEmpty()) {
                        throw new IllegalArgumentException(file + ": no tensor name starts with '" + prefix + "'");
                    }
                    StateDict.load(encoder, tensors, file.toString());
                }
                return encoder;
            }

            @Override
            public String description() {
                return "safetensors:" + file + (prefix.isEmpty() ? "" : "#" + prefix) + " " + config;
            }
        };
    }
}
