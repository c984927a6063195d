package org.jepa4j.train.features;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.jepa4j.core.io.Npy;
import org.jepa4j.core.io.NpyArray;
import org.jepa4j.core.io.SafeTensors;
import org.jepa4j.core.io.SafeTensorsReader;

/**
 * Frozen features held in Java memory, one row per clip: pooled features {@code [D]}, optionally token
 * features {@code [N, D]}, the clip's label and the sample (video) it came from. Probes train on it; rows of the
 * same sample (its segments and views) stay together when splitting and are averaged when evaluating.
 */
public final class FeatureSet {

    private final float[][] tokens; // [M][N * D] or null
    private final float[][] pooled; // [M][D]
    private final int numTokens;
    private final int width;
    private final int[] labels;
    private final int[] samples;
    private final List<String> labelNames;

    private FeatureSet(float[][] tokens, float[][] pooled, int numTokens, int width, int[] labels, int[] samples,
            List<String> labelNames) {
        this.tokens = tokens;
        this.pooled = pooled;
        this.numTokens = numTokens;
        this.width = width;
        this.labels = labels;
        this.samples = samples;
        this.labelNames = List.copyOf(labelNames);
    }

    /**
     * Builds a set from arrays (not copied).
     *
     * @param tokens per row the token features {@code [N * D]} in C order, or null for a pooled-only set
     * @param pooled per row the pooled features {@code [D]}, or null to compute them as the token mean
     * @param numTokens N (ignored without tokens)
     * @param width D
     * @param labels per row the label id (>= 0)
     * @param samples per row the sample id (rows of one sample share it)
     * @param labelNames class names by id (may be empty; classes are then {@code max(label) + 1})
     * @return the set
     * @throws IllegalArgumentException naming the inconsistent array
     */
    public static FeatureSet of(float[][] tokens, float[][] pooled, int numTokens, int width, int[] labels,
            int[] samples, List<String> labelNames) {
        int m = labels.length;
        if (samples.length != m) {
            throw new IllegalArgumentException("samples has " + samples.length + " rows, labels " + m);
        }
        if (tokens == null && pooled == null) {
            throw new IllegalArgumentException("a feature set needs tokens or pooled features");
        }
        if (width < 1) {
            throw new IllegalArgumentException("width must be >= 1, got " + width);
        }
        for (int i = 0; i < m; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("row " + i + " has negative label " + labels[i]);
            }
            if (tokens != null && (tokens.length != m || tokens[i].length != numTokens * width)) {
                throw new IllegalArgumentException("token row " + i + " must hold N*D = " + numTokens + "*" + width
                        + " floats");
            }
            if (pooled != null && (pooled.length != m || pooled[i].length != width)) {
                throw new IllegalArgumentException("pooled row " + i + " must hold D = " + width + " floats");
            }
        }
        if (pooled == null) {
            pooled = new float[m][width];
            for (int i = 0; i < m; i++) {
                for (int t = 0; t < numTokens; t++) {
                    for (int k = 0; k < width; k++) {
                        pooled[i][k] += tokens[i][t * width + k] / numTokens;
                    }
                }
            }
        }
        return new FeatureSet(tokens, pooled, tokens == null ? 0 : numTokens, width, labels, samples, labelNames);
    }

    /**
     * Loads the features an extraction wrote (its {@link FeatureIndex}), reading safetensors files when the index
     * lists them, .npy files otherwise.
     *
     * @param dir the extraction's output folder (holding {@value FeatureIndex#FILE_NAME})
     * @param withTokens whether to load token features (needed by the attentive probe)
     * @return the set, rows in index order
     * @throws IOException if a file is missing, malformed, or lacks the requested features
     */
    public static FeatureSet load(Path dir, boolean withTokens) throws IOException {
        Path indexFile = dir.resolve(FeatureIndex.FILE_NAME);
        List<FeatureRecord> records = FeatureIndex.read(indexFile);
        if (records.isEmpty()) {
            throw new IOException(indexFile + ": the index lists no clip");
        }
        int m = records.size();
        float[][] tokens = withTokens ? new float[m][] : null;
        float[][] pooled = new float[m][];
        int[] labels = new int[m];
        int[] samples = new int[m];
        TreeMap<Integer, String> names = new TreeMap<>();
        int n = -1;
        int d = -1;
        for (int i = 0; i < m; i++) {
            FeatureRecord r = records.get(i);
            labels[i] = r.label();
            samples[i] = r.sample();
            if (!r.labelName().isEmpty()) {
                names.putIfAbsent(r.label(), r.labelName());
            }
            long[] tokShape = null;
            if (!r.safetensors().isEmpty()) {
                Path f = dir.resolve(r.safetensors());
                try (SafeTensorsReader reader = SafeTensors.open(f)) {
                    if (withTokens) {
                        require(reader.contains("tokens"), f, "has no 'tokens' tensor (extracted without tokens?)");
                        tokens[i] = reader.readFloats("tokens");
                        tokShape = reader.info("tokens").shape();
                    }
                    if (reader.contains("pooled")) {
                        pooled[i] = reader.readFloats("pooled");
                    } else if (!withTokens) {
                        require(reader.contains("tokens"), f, "has neither 'pooled' nor 'tokens'");
                        tokShape = reader.info("tokens").shape();
                        pooled[i] = mean(reader.readFloats("tokens"), tokShape);
                    }
                }
            } else {
                if (withTokens) {
                    require(!r.tokensNpy().isEmpty(), indexFile, "clip " + i + " has no token features listed");
                    NpyArray a = Npy.read(dir.resolve(r.tokensNpy()));
                    tokens[i] = a.floats();
                    tokShape = a.shape();
                }
                if (!r.pooledNpy().isEmpty()) {
                    pooled[i] = Npy.read(dir.resolve(r.pooledNpy())).floats();
                } else if (!withTokens) {
                    require(!r.tokensNpy().isEmpty(), indexFile, "clip " + i + " has no features listed");
                    NpyArray a = Npy.read(dir.resolve(r.tokensNpy()));
                    tokShape = a.shape();
                    pooled[i] = mean(a.floats(), tokShape);
                }
            }
            if (tokShape != null) {
                require(tokShape.length == 2, indexFile, "clip " + i + " tokens must be [N, D], got "
                        + Arrays.toString(tokShape));
                if (n < 0) {
                    n = (int) tokShape[0];
                }
                require(tokShape[0] == n, indexFile, "clip " + i + " has " + tokShape[0] + " tokens, earlier " + n);
            }
            if (pooled[i] == null) {
                pooled[i] = mean(tokens[i], tokShape);
            }
            if (d < 0) {
                d = pooled[i].length;
            }
            require(pooled[i].length == d, indexFile, "clip " + i + " has width " + pooled[i].length + ", earlier " + d);
        }
        List<String> labelNames = new ArrayList<>();
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        boolean named = names.size() == classes;
        for (int c = 0; c < classes && named; c++) {
            labelNames.add(names.getOrDefault(c, ""));
        }
        return of(tokens, pooled, Math.max(n, 0), d, labels, samples, labelNames);
    }

    private static float[] mean(float[] tokens, long[] shape) {
        int n = (int) shape[0];
        int d = (int) shape[1];
        float[] out = new float[d];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < d; k++) {
                out[k] += tokens[t * d + k];
            }
        }
        for (int k = 0; k < d; k++) {
            out[k] /= n;
        }
        return out;
    }

    private static void require(boolean ok, Path file, String problem) throws IOException {
        if (!ok) {
            throw new IOException(file + ": " + problem);
        }
    }

    /**
     * Returns the number of rows (clips).
     *
     * @return the number of rows (clips)
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns whether token features are present.
     *
     * @return whether token features are present
     */
    public boolean hasTokens() {
        return tokens != null;
    }

    /**
     * Returns the tokens per clip N (0 without tokens).
     *
     * @return the tokens per clip N (0 without tokens)
     */
    public int numTokens() {
        return numTokens;
    }

    /**
     * Returns the feature width D.
     *
     * @return the feature width D
     */
    public int width() {
        return width;
    }

    /**
     * Returns the number of classes: the label names' count, or {@code max(label) + 1}.
     *
     * @return the number of classes: the label names' count, or {@code max(label) + 1}
     */
    public int numClasses() {
        int max = Arrays.stream(labels).max().orElse(-1) + 1;
        return Math.max(max, labelNames.size());
    }

    /**
     * Returns the class names by id (possibly empty).
     *
     * @return the class names by id (possibly empty)
     */
    public List<String> labelNames() {
        return labelNames;
    }

    /**
     * Returns the label of row {@code i}.
     *
     * @param i a row
     * @return its label id
     */
    public int label(int i) {
        return labels[i];
    }

    /**
     * Returns the sample id of row {@code i}.
     *
     * @param i a row
     * @return the id of the sample (video) it came from
     */
    public int sample(int i) {
        return samples[i];
    }

    /**
     * Returns the pooled features {@code [D]} of row {@code i} (live array).
     *
     * @param i a row
     * @return its pooled features (the live array: do not change it)
     */
    public float[] pooled(int i) {
        return pooled[i];
    }

    /**
     * Returns the token features {@code [N * D]} of row {@code i} (live array).
     *
     * @param i a row
     * @return its token features (the live array: do not change it)
     * @throws IllegalStateException if the set has no tokens
     */
    public float[] tokens(int i) {
        if (tokens == null) {
            throw new IllegalStateException("this feature set was loaded without token features");
        }
        return tokens[i];
    }

    /**
     * Returns a copy of the labels per row.
     *
     * @return a copy of the labels per row
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Returns a copy of the sample ids per row.
     *
     * @return a copy of the sample ids per row
     */
    public int[] samples() {
        return samples.clone();
    }

    /**
     * Returns the same features with other labels (e.g. shuffled labels for a control run).
     *
     * @param newLabels per row the label
     * @param newLabelNames class names by id
     * @return a set sharing this one's feature arrays
     */
    public FeatureSet withLabels(int[] newLabels, List<String> newLabelNames) {
        return of(tokens, pooled, numTokens, width, newLabels.clone(), samples, newLabelNames);
    }
}
