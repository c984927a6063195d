package org.jepa4j.train.features;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jepa4j.core.io.AtomicFiles;
import org.jepa4j.video.source.VideoSample;
import org.jepa4j.video.source.VideoSource;

/**
 * The settings an output folder's feature files were made with ({@value FeatureExtractor#MANIFEST}): the encoder,
 * clip sampling, crops, formats and a digest of the source's sample list. A resumed extraction keeps existing files
 * only if its own manifest is the same, so one folder never mixes features of two settings (file names carry the
 * sample's index in the source, hence the source digest).
 *
 * <p>The Spark extractor ({@code jepa-spark}) keeps its Parquet output's manifest in the same form (its own settings),
 * so it reads, writes and compares it through this type.
 *
 * @param settings setting name to value, in a fixed order
 */
public record ExtractionManifest(Map<String, String> settings) {

    /**
     * Copies the settings (sorted by name).
     *
     * @param settings setting name to value; no null key or value
     */
    public ExtractionManifest {
        settings = Map.copyOf(new TreeMap<>(settings));
    }

    /** The manifest of one extraction's settings. */
    static ExtractionManifest of(String encoder, String sampling, int cropSize, int views, boolean imageMode,
            String formats, boolean tokens, boolean pooled, VideoSource source) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("encoder", encoder);
        s.put("sampling", sampling);
        s.put("crop", Integer.toString(cropSize));
        s.put("views", Integer.toString(views));
        s.put("image_mode", Boolean.toString(imageMode));
        s.put("formats", formats);
        s.put("tokens", Boolean.toString(tokens));
        s.put("pooled", Boolean.toString(pooled));
        s.put("samples", Integer.toString(source.size()));
        s.put("samples_sha256", digest(source));
        return new ExtractionManifest(s);
    }

    /**
     * Reads a manifest.
     *
     * @param file the manifest file
     * @return the manifest
     * @throws IOException if it cannot be read or is not a flat JSON object of strings (message names the file)
     */
    static ExtractionManifest read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IOException(file + " is not an extraction manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a manifest's JSON text.
     *
     * @param json a flat JSON object of strings
     * @return the manifest
     * @throws JsonParseException if the text is not JSON
     * @throws IllegalStateException if it is not an object, or a value is an array of other than one element
     * @throws UnsupportedOperationException if a value is not a string (an object or null)
     */
    public static ExtractionManifest parse(String json) {
        Map<String, String> s = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : JsonParser.parseString(json).getAsJsonObject().entrySet()) {
            s.put(e.getKey(), e.getValue().getAsString());
        }
        return new ExtractionManifest(s);
    }

    /**
     * Returns the manifest as pretty-printed JSON, settings sorted by name.
     *
     * @return the JSON text
     */
    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().create().toJson(new TreeMap<>(settings));
    }

    /** Writes the manifest atomically. */
    void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }

    /**
     * Compares this (earlier) manifest with the current one.
     *
     * @param ours the current extraction's manifest
     * @return "key: theirs -> ours" for every setting that differs (empty when the manifests match)
     */
    public List<String> differences(ExtractionManifest ours) {
        List<String> out = new ArrayList<>();
        TreeMap<String, String> keys = new TreeMap<>(settings);
        ours.settings().forEach(keys::putIfAbsent);
        for (String k : keys.keySet()) {
            String theirs = settings.get(k);
            String now = ours.settings().get(k);
            if (theirs == null ? now != null : !theirs.equals(now)) {
                out.add(k + ": " + theirs + " -> " + now);
            }
        }
        return out;
    }

    private static String digest(VideoSource source) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (VideoSample s : source.samples()) {
                sha.update((s.path() + "\t" + s.label() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            StringBuilder hex = new StringBuilder();
            for (byte b : sha.digest()) {
                hex.append(String.format("%02x", b));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
