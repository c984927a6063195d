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
import org.jepa4j.core.model.Module;
import org.jepa4j.core.model.StateDict;

/**
 * Loads state dicts that use the reference repositories' names (facebookresearch/ijepa, jepa, vjepa2) from a
 * safetensors file. Our parameter names are those names, so the only differences are wrappers and buffers:
 * the prefixes {@code module.}, {@code backbone.} and {@code module.backbone.} (DDP and V-JEPA 2 wrappers) are
 * removed, and fixed sin-cos tables ({@code pos_embed}, {@code predictor_pos_embed}) are ignored when the module
 * computes them itself. The references save {@code .pt} pickles: convert one state dict (e.g. the
 * {@code target_encoder} or {@code predictor} entry) to safetensors in Python first; jepa4j does not read pickles.
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
            Map<String, NDArray> raw = reader.loadAll(tmp);
            Map<String, NDArray> ours = target.parameters();
            Map<String, NDArray> renamed = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : raw.entrySet()) {
                String name = stripPrefix(e.getKey());
                boolean fixedTable = (name.equals("pos_embed") || name.equals("predictor_pos_embed"))
                        && !ours.containsKey(name);
                if (!fixedTable) {
                    renamed.put(name, e.getValue());
                }
            }
            StateDict.load(target, renamed, file.toString());
        }
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
