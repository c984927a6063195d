package org.jepa4j.core.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name to shard file in the same directory).
 */
final class HfWeights {

    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";

    /**
     * Loaded tensors and where they came from.
     *
     * @param tensors name to array, in file (or index) order
     * @param origin the file, or the index, for error messages
     */
    record Loaded(Map<String, NDArray> tensors, String origin) {}

    private HfWeights() {}

    /**
     * Loads every tensor of a model directory.
     *
     * @param dir the model directory
     * @param manager owner of the arrays
     * @return the tensors and their origin
     * @throws NoSuchFileException if there is neither a single file nor an index, or a shard is missing
     * @throws IOException if the index is malformed or lists a tensor its shard lacks
     */
    static Loaded load(Path dir, NDManager manager) throws IOException {
        Path single = dir.resolve(SINGLE);
        if (Files.isRegularFile(single)) {
            try (SafeTensorsReader reader = SafeTensors.open(single)) {
                return new Loaded(reader.loadAll(manager), single.toString());
            }
        }
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new NoSuchFileException(single.toString(), null,
                    "no " + SINGLE + " nor " + INDEX + " (sharded) in the model directory");
        }
        Map<String, List<String>> byShard = readIndex(index);
        Map<String, NDArray> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, List<String>> shard : byShard.entrySet()) {
                Path file = dir.resolve(shard.getKey());
                if (!Files.isRegularFile(file)) {
                    throw new NoSuchFileException(file.toString(), null, "shard listed in " + index + " for "
                            + shard.getValue().size() + " tensors (e.g. '" + shard.getValue().get(0) + "') is missing");
                }
                try (SafeTensorsReader reader = SafeTensors.open(file)) {
                    for (String name : shard.getValue()) {
                        if (!reader.contains(name)) {
                            throw new IOException(index + " lists tensor '" + name + "' in shard " + file
                                    + ", which does not hold it");
                        }
                        out.put(name, reader.load(name, manager));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            out.values().forEach(NDArray::close);
            throw e;
        }
        return new Loaded(out, index.toString());
    }

    private static Map<String, List<String>> readIndex(Path index) throws IOException {
        JsonObject map;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(index, StandardCharsets.UTF_8));
            JsonElement wm = root.isJsonObject() ? root.getAsJsonObject().get("weight_map") : null;
            if (wm == null || !wm.isJsonObject()) {
                throw new IOException(index + ": no 'weight_map' object");
            }
            map = wm.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(index + ": not valid JSON: " + e.getMessage(), e);
        }
        Map<String, List<String>> byShard = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : map.entrySet()) {
            String shard = e.getValue().isJsonPrimitive() ? e.getValue().getAsString() : "";
            if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                throw new IOException(index + ": tensor '" + e.getKey() + "' maps to '" + e.getValue()
                        + "', not a file name in the model directory");
            }
            byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(e.getKey());
        }
        if (byShard.isEmpty()) {
            throw new IOException(index + ": empty weight_map");
        }
        return byShard;
    }
}
