package org.jepa4j.video.mask;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Token-count statistics of a {@link MaskGenerator}: mean, standard deviation, min and max of the context and
 * target lengths of each mask set over N samples.
 *
 * <p>The counts are per sample and untruncated: the generator is asked for N batches of size 1, so the
 * per-batch truncation to the shortest row never applies (block sizes are then drawn per sample, which has the
 * same distribution as drawing them per batch). The standard deviation is the population one (numpy's default).
 *
 * @param generatorName a label for the generator (free text, e.g. "vjepa")
 * @param numTokens tokens in the generator's full grid
 * @param samples number of samples drawn
 * @param seed the seed of the random generator used
 * @param sets one entry per mask set, in the generator's order
 */
public record MaskStatistics(String generatorName, int numTokens, int samples, long seed, List<SetStatistics> sets) {

    /** Copies the set list. */
    public MaskStatistics {
        Objects.requireNonNull(generatorName, "generatorName");
        sets = List.copyOf(sets);
    }

    /**
     * Summary of one integer series.
     *
     * @param mean arithmetic mean
     * @param sd population standard deviation
     * @param min smallest value
     * @param max largest value
     */
    public record Summary(double mean, double sd, int min, int max) {

        /**
         * Summarizes a non-empty series.
         *
         * @param values the values
         * @return the summary
         */
        public static Summary of(int[] values) {
            if (values.length == 0) {
                throw new IllegalArgumentException("cannot summarize an empty series");
            }
            double sum = 0;
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int v : values) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = sum / values.length;
            double sq = 0;
            for (int v : values) {
                sq += (v - mean) * (v - mean);
            }
            return new Summary(mean, Math.sqrt(sq / values.length), min, max);
        }
    }

    /**
     * Statistics of one mask set.
     *
     * @param name mask set name
     * @param context context tokens per sample
     * @param target target tokens per sample
     */
    public record SetStatistics(String name, Summary context, Summary target) {
    }

    /**
     * Draws {@code samples} batches of size 1 from {@code generator} with {@code new Random(seed)}.
     *
     * @param generatorName label stored in the result
     * @param generator the generator
     * @param samples number of samples, at least 1
     * @param seed random seed
     * @return the statistics
     */
    public static MaskStatistics compute(String generatorName, MaskGenerator generator, int samples, long seed) {
        Objects.requireNonNull(generator, "generator");
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        List<String> names = generator.maskSetNames();
        int numSets = names.size();
        int[][] contextCounts = new int[numSets][samples];
        int[][] targetCounts = new int[numSets][samples];
        Random rng = new Random(seed);
        for (int s = 0; s < samples; s++) {
            List<MaskSet> sets = generator.sample(1, rng);
            if (sets.size() != numSets) {
                throw new IllegalStateException("generator returned " + sets.size() + " mask sets but names "
                        + numSets + ": " + names);
            }
            for (int k = 0; k < numSets; k++) {
                contextCounts[k][s] = sets.get(k).contextLength();
                targetCounts[k][s] = sets.get(k).targetLength();
            }
        }
        List<SetStatistics> out = new ArrayList<>(numSets);
        for (int k = 0; k < numSets; k++) {
            out.add(new SetStatistics(names.get(k), Summary.of(contextCounts[k]), Summary.of(targetCounts[k])));
        }
        return new MaskStatistics(generatorName, generator.numTokens(), samples, seed, out);
    }

    /**
     * The statistics of one set by name.
     *
     * @param name mask set name
     * @return its statistics
     * @throws IllegalArgumentException if no set has that name
     */
    public SetStatistics set(String name) {
        return sets.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no mask set named '" + name + "'; sets: "
                        + sets.stream().map(SetStatistics::name).toList()));
    }

    /**
     * Pretty-printed JSON: {@code {"generator", "numTokens", "samples", "seed", "maskSets": [{"name",
     * "context": {"mean","sd","min","max"}, "target": {...}}]}}.
     *
     * @return the JSON text
     */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("generator", generatorName);
        root.addProperty("numTokens", numTokens);
        root.addProperty("samples", samples);
        root.addProperty("seed", seed);
        JsonArray array = new JsonArray();
        for (SetStatistics s : sets) {
            JsonObject o = new JsonObject();
            o.addProperty("name", s.name());
            o.add("context", json(s.context()));
            o.add("target", json(s.target()));
            array.add(o);
        }
        root.add("maskSets", array);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }

    /**
     * A plain-text table, one line per mask set.
     *
     * @return a plain-text table, one line per mask set
     */
    public String toText() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%s: %d tokens, %d samples (seed %d)%n", generatorName, numTokens, samples, seed));
        for (SetStatistics s : sets) {
            sb.append(String.format(Locale.ROOT,
                    "  %-16s context mean %7.1f sd %6.1f [%d, %d]   target mean %7.1f sd %6.1f [%d, %d]%n",
                    s.name(), s.context().mean(), s.context().sd(), s.context().min(), s.context().max(),
                    s.target().mean(), s.target().sd(), s.target().min(), s.target().max()));
        }
        return sb.toString();
    }

    private static JsonObject json(Summary s) {
        JsonObject o = new JsonObject();
        o.addProperty("mean", Math.round(s.mean() * 1000) / 1000.0);
        o.addProperty("sd", Math.round(s.sd() * 1000) / 1000.0);
        o.addProperty("min", s.min());
        o.addProperty("max", s.max());
        return o;
    }
}
