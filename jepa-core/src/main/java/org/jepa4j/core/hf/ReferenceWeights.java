package org.jepa4j.core.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;
import org.jepa4j.core.io.TorchCheckpoint;
import org.jepa4j.core.model.Module;
import org.jepa4j.core.model.StateDict;

/**
 * Loads state dicts that use the reference repositories' names (facebookresearch/ijepa, jepa, vjepa2) from a
 * safetensors file or a PyTorch {@code .pt} checkpoint. Our parameter names are those names, so the only differences are wrappers and buffers:
 * the prefixes {@code module.}, {@code backbone.} and {@code module.backbone.} (DDP and V-JEPA 2 wrappers) are
 * removed, and fixed sin-cos tables ({@code pos_embed}, {@code predictor_pos_embed}) are ignored when the module
 * computes them itself. The references' {@code .pt} training checkpoints are read directly
 * ({@link #load(Module, Path, String, NDManager)}, through {@link TorchCheckpoint}: a whitelisting unpickler that
 * never executes code), picking one entry such as {@code target_encoder}, {@code encoder} or {@code predictor}.
 * V-JEPA 2 attentive probes ({@code classifiers[0]}) load into {@link org.jepa4j.core.model.AttentiveClassifier}
 * the same way.
 */
public final class ReferenceWeights {

    private static final List<String> PREFIXES = List.of("module.backbone.", "module.", "backbone.");

    private ReferenceWeights() {}

    /**
     * Loads a reference-named safetensors state dict into {@code target}.
     *
     * @param target the module to fill
     * @param file safetensors file with the reference names
     * @param manager a manager for temporaries (closed arrays are released before returning)
     * @throws IOException if the file cannot be read
     * @throws org.jepa4j.core.model.WeightMismatchException listing all missing, unknown and mis-shaped tensors
     */
    public static void load(Module target, Path file, NDManager manager) throws IOException {
        try (NDManager tmp = manager.newSubManager();
                SafeTensorsReader reader = SafeTensors.open(file)) {
            loadRenamed(target, reader.loadAll(tmp), file.toString());
        }
    }

    /**
     * Loads one state dict of a PyTorch checkpoint ({@code torch.save} zip format) into {@code target}.
     *
     * @param target the module to fill
     * @param ptFile the {@code .pt} / {@code .pth} / {@code .tar} file
     * @param entry the state dict inside it, e.g. {@code target_encoder}, {@code encoder} or {@code predictor}
     *     ({@code /}-separated for nested ones, e.g. {@code classifiers/0}), or {@code null} if the file is a flat
     *     state dict
     * @param manager a manager for temporaries (released before returning)
     * @throws IOException if the file cannot be read or its pickle is refused
     * @throws IllegalArgumentException if the entry does not exist or is not a state dict (the message lists the
     *     available entries)
     * @throws org.jepa4j.core.model.WeightMismatchException listing all missing, unknown and mis-shaped tensors
     */
    public static void load(Module target, Path ptFile, String entry, NDManager manager) throws IOException {
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(ptFile)) {
            load(target, ckpt, entry, manager);
        }
    }

    /**
     * Loads one state dict of an open PyTorch checkpoint into {@code target}: for several entries of one file
     * (encoder, predictor, target encoder) without parsing its pickle again for each.
     *
     * @param target the module to fill
     * @param ckpt the open checkpoint (left open)
     * @param entry the state dict inside it (see {@link #load(Module, Path, String, NDManager)}), or {@code null}
     * @param manager a manager for temporaries (released before returning)
     * @throws IOException if a storage cannot be read
     * @throws IllegalArgumentException if the entry does not exist or is not a state dict
     * @throws org.jepa4j.core.model.WeightMismatchException listing all missing, unknown and mis-shaped tensors
     */
    public static void load(Module target, TorchCheckpoint ckpt, String entry, NDManager manager) throws IOException {
        try (NDManager tmp = manager.newSubManager()) {
            String origin = entry == null ? ckpt.path().toString() : ckpt.path() + " [" + entry + "]";
            loadRenamed(target, ckpt.loadStateDict(entry, tmp), origin);
        }
    }

    private static void loadRenamed(Module target, Map<String, NDArray> raw, String origin) {
        Map<String, NDArray> ours = target.parameters();
        Map<String, NDArray> renamed = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : raw.entrySet()) {
            String name = stripPrefix(e.getKey());
            if (name.equals("mask_token") && !ours.containsKey(name) && ours.containsKey("mask_tokens.0")) {
                name = "mask_tokens.0"; // I-JEPA and V-JEPA 1 predictors hold one token; ours hold a list
            }
            boolean fixedTable = (name.equals("pos_embed") || name.equals("predictor_pos_embed"))
                    && !ours.containsKey(name);
            if (!fixedTable) {
                renamed.put(name, e.getValue());
            }
        }
        StateDict.load(target, renamed, origin);
    }

    static String stripPrefix(String name) {
        for (String p : PREFIXES) {
            if (name.startsWith(p)) {
                return name.substring(p.length());
            }
        }
        return name;
    }
}
