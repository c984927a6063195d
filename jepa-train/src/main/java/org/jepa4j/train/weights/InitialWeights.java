package org.jepa4j.train.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jepa4j.core.hf.HfCheckpoints;
import org.jepa4j.core.hf.ReferenceWeights;
import org.jepa4j.core.hf.VJepa2Checkpoint;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.io.TorchCheckpoint;
import org.jepa4j.core.model.Module;
import org.jepa4j.core.model.PositionKind;
import org.jepa4j.core.model.Predictor;
import org.jepa4j.core.model.StateDict;
import org.jepa4j.core.model.VisionTransformer;
import org.jepa4j.core.model.VitConfig;
import org.jepa4j.core.model.WeightMismatchException;
import org.jepa4j.train.run.CheckpointLayout;
import org.jepa4j.train.step.JepaModel;

/**
 * Weights a fresh training run starts from instead of random initialization ({@code meta.init_from}): continued
 * pretraining of published or earlier weights on one's own videos (domain adaptation, V-JEPA 2's cooldown).
 *
 * <p>Three sources ({@link #resolve(Path)}, through the one resolver {@link WeightSource}):
 * <ul>
 *   <li>{@link WeightSource.Kind#JEPA4J_RUN}: a jepa4j run directory (its latest checkpoint, {@link RunCheckpoint})
 *       or one {@code checkpoints/step-N} directory: encoder, predictor and target encoder;</li>
 *   <li>{@link WeightSource.Kind#HUGGING_FACE}: a Hugging Face {@code VJEPA2Model} / {@code VJEPA2ForVideoClassification}
 *       directory ({@link HfCheckpoints}): encoder and predictor, the target a copy of the encoder;</li>
 *   <li>{@link WeightSource.Kind#REFERENCE_PT}: a reference PyTorch checkpoint ({@code .pt}, {@link ReferenceWeights}) with
 *       entries {@code encoder}, {@code predictor} and optionally {@code target_encoder} (else a copy of the
 *       encoder).</li>
 * </ul>
 * The run's model configuration must produce exactly the tensors of the source (the number of frames and the crop
 * may differ: positions are computed, not stored). Otherwise {@link #applyTo(JepaModel)} throws one
 * {@link WeightMismatchException} naming the source and listing every missing, unknown and mis-shaped tensor, names
 * prefixed by network ({@code encoder.}, {@code predictor.}, {@code target_encoder.}). Only weights are taken:
 * optimizer moments, schedules and the step counter start fresh.
 */
public final class InitialWeights {

    private final WeightSource source;

    private InitialWeights(WeightSource source) {
        this.source = source;
    }

    /**
     * Recognizes a weights source without reading its tensors ({@link WeightSource#resolve(Path)}): a regular file is
     * a reference {@code .pt} checkpoint, a directory with {@code config.json} a Hugging Face model, any other
     * directory a jepa4j run or checkpoint.
     *
     * @param path the source ({@code meta.init_from})
     * @return the source
     * @throws NoSuchFileException if {@code path} does not exist
     * @throws IOException if it is a directory of no known kind, a Hugging Face model of another type, a lone
     *     safetensors file, or a run without checkpoints (the message names the path)
     */
    public static InitialWeights resolve(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "meta.init_from");
        }
        WeightSource source = WeightSource.resolve(path);
        if (source.kind() == WeightSource.Kind.HUGGING_FACE && !"vjepa2".equals(source.modelType())) {
            throw new IOException(path + ": Hugging Face model_type '" + source.modelType() + "' cannot initialize "
                    + "JEPA pretraining (needs vjepa2: an encoder and a predictor)");
        }
        if (source.kind() == WeightSource.Kind.SAFETENSORS) {
            throw new IOException(path + ": a lone safetensors file cannot initialize JEPA pretraining (needs an "
                    + "encoder and a predictor: a jepa4j run or checkpoint, a Hugging Face V-JEPA 2 directory or a "
                    + "reference .pt)");
        }
        return new InitialWeights(source);
    }

    /**
     * The path as given.
     *
     * @return the {@code meta.init_from} path
     */
    public Path path() {
        return source.path();
    }

    /**
     * The kind of source.
     *
     * @return {@link WeightSource.Kind#JEPA4J_RUN}, {@link WeightSource.Kind#HUGGING_FACE} or
     *     {@link WeightSource.Kind#REFERENCE_PT}
     */
    public WeightSource.Kind kind() {
        return source.kind();
    }

    /**
     * What is read.
     *
     * @return the checkpoint directory of a run, the model directory, or the {@code .pt} file
     */
    public Path source() {
        return source.file();
    }

    /**
     * A one-line description for logs, e.g. {@code jepa4j checkpoint runs/a/checkpoints/step-000000100}.
     *
     * @return the kind and the path read
     */
    public String description() {
        return source.description();
    }

    /**
     * Reads the weights into float32 copies of the model's networks and loads them as its masters (all three
     * networks; the compute parameters follow). Nothing is changed unless every tensor fits.
     *
     * @param model a freshly built model
     * @throws IOException if a file cannot be read
     * @throws WeightMismatchException naming the source and every missing, unknown and mis-shaped tensor
     * @throws IllegalArgumentException if the positions of the source and the model differ (e.g. RoPE weights into
     *     a sin-cos model)
     */
    public void applyTo(JepaModel model) throws IOException {
        VitConfig encoderConfig = model.encoder().config();
        try (NDManager tmp = model.manager().newSubManager()) {
            VisionTransformer encoder = new VisionTransformer(encoderConfig, tmp, 0L); // float32
            Predictor predictor = new Predictor(model.predictor().config(), tmp, 0L);
            VisionTransformer target = null;
            Mismatches problems = new Mismatches();
            Path file = source.file();
            switch (source.kind()) {
                case JEPA4J_RUN -> {
                    RunCheckpoint run = source.run();
                    checkPositions(JepaModel.encoderConfig(run.config()).positionKind(), encoderConfig, "the run "
                            + run.runDirectory() + " (model.variant " + run.config().model().variant() + ")");
                    target = new VisionTransformer(encoderConfig, tmp, 0L);
                    problems.load(CheckpointLayout.ENCODER, encoder, safeTensors(run, CheckpointLayout.ENCODER, tmp));
                    problems.load(CheckpointLayout.PREDICTOR, predictor,
                            safeTensors(run, CheckpointLayout.PREDICTOR, tmp));
                    problems.load(CheckpointLayout.TARGET_ENCODER, target,
                            safeTensors(run, CheckpointLayout.TARGET_ENCODER, tmp));
                }
                case HUGGING_FACE -> {
                    checkPositions(PositionKind.ROPE_3D, encoderConfig, "a V-JEPA 2 model (3D RoPE; use "
                            + "model.variant vjepa2)");
                    VJepa2Checkpoint hf = HfCheckpoints.loadVJepa2(file, tmp);
                    problems.load(CheckpointLayout.ENCODER, encoder, hf.encoder().parameters());
                    problems.load(CheckpointLayout.PREDICTOR, predictor, hf.predictor().parameters());
                }
                case REFERENCE_PT -> {
                    try (TorchCheckpoint ckpt = TorchCheckpoint.open(file)) { // one pickle parse for all entries
                        List<String> entries = ckpt.keys();
                        for (String needed : List.of(CheckpointLayout.ENCODER, CheckpointLayout.PREDICTOR)) {
                            if (!entries.contains(needed)) {
                                throw new IllegalArgumentException(file + ": PyTorch checkpoint has no '" + needed
                                        + "' entry (entries: " + entries + "); meta.init_from needs encoder and "
                                        + "predictor");
                            }
                        }
                        problems.loadPt(CheckpointLayout.ENCODER, encoder, ckpt, tmp);
                        problems.loadPt(CheckpointLayout.PREDICTOR, predictor, ckpt, tmp);
                        if (entries.contains(CheckpointLayout.TARGET_ENCODER)) {
                            target = new VisionTransformer(encoderConfig, tmp, 0L);
                            problems.loadPt(CheckpointLayout.TARGET_ENCODER, target, ckpt, tmp);
                        }
                    }
                }
                default -> throw new IllegalStateException(source.kind().toString());
            }
            problems.throwIfAny(source.kind() == WeightSource.Kind.HUGGING_FACE ? hfOrigin() : file.toString());
            Map<String, Map<String, NDArray>> groups = new LinkedHashMap<>();
            groups.put(CheckpointLayout.ENCODER, encoder.parameters());
            groups.put(CheckpointLayout.TARGET_ENCODER, (target != null ? target : encoder).parameters()); // [copy]
            groups.put(CheckpointLayout.PREDICTOR, predictor.parameters());
            model.loadWeights(groups, description());
        }
    }

    private static Map<String, NDArray> safeTensors(RunCheckpoint run, String group, NDManager tmp)
            throws IOException {
        Path f = run.groupFile(group);
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString(), null, "checkpoint has no " + group + " weights");
        }
        try (SafeTensorsReader reader = SafeTensors.open(f)) {
            return reader.loadAll(tmp);
        }
    }

    private String hfOrigin() {
        Path single = source.file().resolve("model.safetensors");
        return Files.isRegularFile(single) ? single.toString() : source.file().toString();
    }

    private static void checkPositions(PositionKind source, VitConfig model, String what) {
        if (source != model.positionKind()) {
            throw new IllegalArgumentException("meta.init_from: the weights come from " + what + " with "
                    + source + " positions, but this run's model uses " + model.positionKind()
                    + " (check model.variant)");
        }
    }

    /** Problems of every network, gathered into one exception. */
    private final class Mismatches {
        private final List<String> missing = new ArrayList<>();
        private final List<String> unknown = new ArrayList<>();
        private final List<String> misshaped = new ArrayList<>();

        void load(String group, Module target, Map<String, NDArray> tensors) {
            try {
                StateDict.load(target, tensors, source.file().toString());
            } catch (WeightMismatchException e) {
                add(group, e);
            }
        }

        void loadPt(String group, Module target, TorchCheckpoint ckpt, NDManager tmp) throws IOException {
            try {
                ReferenceWeights.load(target, ckpt, group, tmp);
            } catch (WeightMismatchException e) {
                add(group, e);
            }
        }

        private void add(String group, WeightMismatchException e) {
            e.missing().forEach(n -> missing.add(group + "." + n));
            e.unknown().forEach(n -> unknown.add(group + "." + n));
            e.misshaped().forEach(n -> misshaped.add(group + "." + n));
        }

        void throwIfAny(String origin) {
            if (!missing.isEmpty() || !unknown.isEmpty() || !misshaped.isEmpty()) {
                throw new WeightMismatchException(origin + " (meta.init_from)", missing, unknown, misshaped);
            }
        }
    }
}
