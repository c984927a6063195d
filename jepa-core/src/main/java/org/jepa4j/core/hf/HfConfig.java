package org.jepa4j.core.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A parsed Hugging Face {@code config.json} with typed getters whose errors name the file and key. */
public final class HfConfig {

    private final Path file;
    private final JsonObject json;

    private HfConfig(Path file, JsonObject json) {
        this.file = file;
        this.json = json;
    }

    /**
     * Reads {@code config.json} of a model directory.
     *
     * @param dir the model directory
     * @return the parsed configuration
     * @throws IOException if the file is missing, unreadable or not a JSON object
     */
    public static HfConfig read(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no config.json in the model directory");
        }
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IOException(file + ": config.json is not a JSON object");
            }
            return new HfConfig(file, e.getAsJsonObject());
        } catch (JsonParseException e) {
            throw new IOException(file + ": config.json is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the path of the file.
     *
     * @return the path of the file
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the {@code model_type}, or an empty string.
     *
     * @return the {@code model_type}, or an empty string
     */
    public String modelType() {
        JsonElement e = json.get("model_type");
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    /**
     * Checks the {@code model_type}.
     *
     * @param expected the required model type
     * @throws IllegalArgumentException naming the file and both types
     */
    public void requireModelType(String expected) {
        if (!expected.equals(modelType())) {
            throw new IllegalArgumentException(file + " has model_type '" + modelType() + "' (architectures "
                    + json.get("architectures") + "), expected '" + expected + "'");
        }
    }

    /**
     * Returns whether {@code architectures} lists {@code name}.
     *
     * @param name an architecture name, e.g. {@code VJEPA2Model}
     * @return whether {@code architectures} lists it
     */
    public boolean hasArchitecture(String name) {
        JsonElement e = json.get("architectures");
        if (e != null && e.isJsonArray()) {
            for (JsonElement a : (JsonArray) e) {
                if (a.isJsonPrimitive() && name.equals(a.getAsString())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns whether the key is present and not null.
     *
     * @param key a {@code config.json} key
     * @return whether the key is present and not null
     */
    public boolean has(String key) {
        return json.has(key) && !json.get(key).isJsonNull();
    }

    /**
     * Returns a required integer.
     *
     * @param key a {@code config.json} key
     * @return its integer value
     * @throws IllegalArgumentException naming the file and key when it is missing or not an integer
     */
    public int getInt(String key) {
        JsonElement e = required(key);
        try {
            double d = e.getAsDouble();
            if (d != Math.rint(d)) {
                throw new NumberFormatException();
            }
            return (int) d;
        } catch (RuntimeException ex) {
            throw bad(key, "an integer", e);
        }
    }

    /**
     * Returns an integer or a default.
     *
     * @param key a {@code config.json} key
     * @param fallback the value when the key is missing or null
     * @return its integer value, or {@code fallback}
     */
    public int optInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    /**
     * Returns a required number.
     *
     * @param key a {@code config.json} key
     * @return its value
     * @throws IllegalArgumentException naming the file and key when it is missing or not a number
     */
    public double getDouble(String key) {
        JsonElement e = required(key);
        try {
            return e.getAsDouble();
        } catch (RuntimeException ex) {
            throw bad(key, "a number", e);
        }
    }

    /**
     * Returns a number or a default.
     *
     * @param key a {@code config.json} key
     * @param fallback the value when the key is missing or null
     * @return its value, or {@code fallback}
     */
    public double optDouble(String key, double fallback) {
        return has(key) ? getDouble(key) : fallback;
    }

    /**
     * Returns a boolean or a default.
     *
     * @param key a {@code config.json} key
     * @param fallback the value when the key is missing or null
     * @return its value, or {@code fallback}
     */
    public boolean optBoolean(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonElement e = json.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw bad(key, "a boolean", e);
        }
        return e.getAsBoolean();
    }

    /**
     * Returns a string or a default.
     *
     * @param key a {@code config.json} key
     * @param fallback the value when the key is missing or null
     * @return its value, or {@code fallback}
     */
    public String optString(String key, String fallback) {
        return has(key) ? json.get(key).getAsString() : fallback;
    }

    /**
     * Returns the number of labels: {@code num_labels}, else the size of {@code id2label}, else 0.
     *
     * @return the number of labels: {@code num_labels}, else the size of {@code id2label}, else 0
     */
    public int numLabels() {
        if (has("num_labels")) {
            return getInt("num_labels");
        }
        JsonElement e = json.get("id2label");
        return e != null && e.isJsonObject() ? e.getAsJsonObject().size() : 0;
    }

    /**
     * Returns the label names by index ({@code id2label}), "LABEL_i" where missing.
     *
     * @return the label names by index ({@code id2label}), "LABEL_i" where missing
     */
    public String[] labels() {
        int n = numLabels();
        String[] out = new String[n];
        JsonElement e = json.get("id2label");
        for (int i = 0; i < n; i++) {
            JsonElement l = e != null && e.isJsonObject() ? e.getAsJsonObject().get(Integer.toString(i)) : null;
            out[i] = l != null && l.isJsonPrimitive() ? l.getAsString() : "LABEL_" + i;
        }
        return out;
    }

    /**
     * Requires {@code hidden_act} (if present) to be the exact GELU.
     *
     * @throws IllegalArgumentException for any other activation
     */
    public void requireExactGelu() {
        String act = optString("hidden_act", "gelu");
        if (!"gelu".equals(act)) {
            throw new IllegalArgumentException(file + ": hidden_act '" + act + "' is not supported (only 'gelu')");
        }
    }

    private JsonElement required(String key) {
        if (!has(key)) {
            throw new IllegalArgumentException(file + ": missing key '" + key + "'");
        }
        return json.get(key);
    }

    private IllegalArgumentException bad(String key, String what, JsonElement e) {
        return new IllegalArgumentException(file + ": key '" + key + "' must be " + what + ", got " + e);
    }
}
