package org.jepa4j.core.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renames foreign tensor names to jepa4j reference names with regular-expression rules; rules with slots
 * concatenate several tensors along axis 0 (e.g. separate q, k, v projections into one fused {@code qkv}).
 */
final class NameMapper {

    /** Result of a mapping: renamed tensors plus the names that matched no rule or lacked a partner. */
    record Result(Map<String, NDArray> tensors, List<String> unknown, List<String> missing) {}

    private record Rule(Pattern pattern, String replacement, int slotGroup, List<String> slots) {}

    private final List<Rule> rules = new ArrayList<>();

    /** Adds a one-to-one rule; {@code replacement} may use {@code $1}... */
    NameMapper rename(String regex, String replacement) {
        rules.add(new Rule(Pattern.compile(regex), replacement, 0, List.of()));
        return this;
    }

    /** Adds a rule whose group {@code slotGroup} picks the slot of the concatenation, in {@code slots} order. */
    NameMapper fuse(String regex, String replacement, int slotGroup, String... slots) {
        rules.add(new Rule(Pattern.compile(regex), replacement, slotGroup, List.of(slots)));
        return this;
    }

    Result apply(Map<String, NDArray> source) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        Map<String, NDArray[]> pieces = new LinkedHashMap<>();
        Map<String, String> pieceNames = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : source.entrySet()) {
            String name = e.getKey();
            boolean matched = false;
            for (Rule r : rules) {
                Matcher m = r.pattern.matcher(name);
                if (!m.matches()) {
                    continue;
                }
                matched = true;
                String slot = r.slots.isEmpty() ? null : m.group(r.slotGroup);
                String target = m.replaceAll(r.replacement);
                if (r.slots.isEmpty()) {
                    out.put(target, e.getValue());
                } else {
                    NDArray[] parts = pieces.computeIfAbsent(target, k -> new NDArray[r.slots.size()]);
                    parts[r.slots.indexOf(slot)] = e.getValue();
                    pieceNames.putIfAbsent(target, name);
                }
                break;
            }
            if (!matched) {
                unknown.add(name);
            }
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, NDArray[]> e : pieces.entrySet()) {
            NDList list = new NDList();
            boolean complete = true;
            for (NDArray a : e.getValue()) {
                complete &= a != null;
                list.add(a);
            }
            if (complete) {
                out.put(e.getKey(), NDArrays.concat(list, 0));
            } else {
                missing.add("a part of " + e.getKey() + " (found " + pieceNames.get(e.getKey()) + ")");
            }
        }
        return new Result(out, unknown, missing);
    }
}
