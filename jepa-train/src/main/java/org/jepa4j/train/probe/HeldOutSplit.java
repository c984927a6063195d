package org.jepa4j.train.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.jepa4j.train.features.FeatureSet;

/**
 * A seeded train / held-out split of a {@link FeatureSet} by sample: all clips (segments, views) of a sample
 * fall on the same side, so no video is seen in training and evaluation. The split is stratified: in every
 * class, {@code round(fraction x samples)} samples (at least one when the class has two or more) are held out.
 *
 * @param trainRows rows used for training, ascending
 * @param heldOutRows rows held out for evaluation, ascending
 */
public record HeldOutSplit(int[] trainRows, int[] heldOutRows) {

    /**
     * Splits a feature set.
     *
     * @param data the features
     * @param fraction share of each class's samples to hold out, in (0, 1)
     * @param seed seed of the choice
     * @return the split
     * @throws IllegalArgumentException if the fraction is out of range or a side would be empty
     */
    public static HeldOutSplit bySample(FeatureSet data, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 1), got " + fraction);
        }
        TreeMap<Integer, Integer> labelOfSample = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            Integer prev = labelOfSample.put(data.sample(i), data.label(i));
            if (prev != null && prev != data.label(i)) {
                throw new IllegalArgumentException("sample " + data.sample(i) + " has rows with labels " + prev
                        + " and " + data.label(i));
            }
        }
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        labelOfSample.forEach((s, l) -> byClass.computeIfAbsent(l, k -> new ArrayList<>()).add(s));
        Random rng = new Random(seed);
        java.util.Set<Integer> heldOut = new java.util.HashSet<>();
        for (List<Integer> members : byClass.values()) {
            Collections.shuffle(members, rng);
            int k = (int) Math.round(fraction * members.size());
            if (members.size() >= 2) {
                k = Math.max(1, Math.min(members.size() - 1, k));
            }
            heldOut.addAll(members.subList(0, k));
        }
        int[] test = java.util.stream.IntStream.range(0, data.size()).filter(i -> heldOut.contains(data.sample(i)))
                .toArray();
        int[] train = java.util.stream.IntStream.range(0, data.size()).filter(i -> !heldOut.contains(data.sample(i)))
                .toArray();
        if (train.length == 0 || test.length == 0) {
            throw new IllegalArgumentException("split of " + labelOfSample.size() + " samples with fraction " + fraction
                    + " leaves " + train.length + " training and " + test.length + " held-out rows");
        }
        return new HeldOutSplit(train, test);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeldOutSplit s && Arrays.equals(trainRows, s.trainRows)
                && Arrays.equals(heldOutRows, s.heldOutRows);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(trainRows) + Arrays.hashCode(heldOutRows);
    }

    @Override
    public String toString() {
        return "HeldOutSplit[train=" + trainRows.length + " rows, heldOut=" + heldOutRows.length + " rows]";
    }
}
