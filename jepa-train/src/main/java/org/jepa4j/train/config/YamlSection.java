package org.jepa4j.train.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Typed, path-aware view of one YAML mapping. Every getter records the key it was asked for, so
 * {@link #finish()} can reject the keys nobody asked for, naming their path and the closest valid key.
 */
final class YamlSection {

    private final String path;
    private final Map<String, Object> values;
    private final Set<String> known = new LinkedHashSet<>();

    YamlSection(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values == null ? Map.of() : values;
    }

    /** Wraps a raw YAML node that must be a mapping (null means an empty mapping). */
    @SuppressWarnings("unchecked")
    static YamlSection of(String path, Object node) {
        if (node == null) {
            return new YamlSection(path, Map.of());
        }
        if (!(node instanceof Map)) {
            throw new ConfigException(path, "must be a mapping of keys to values, got " + describe(node));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : ((Map<Object, Object>) node).entrySet()) {
            map.put(String.valueOf(e.getKey()), e.getValue());
        }
        return new YamlSection(path, map);
    }

    String path() {
        return path;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        known.add(key);
        return values.get(key) != null;
    }

    /** True when the key is written in the YAML, even with a null value. */
    boolean written(String key) {
        known.add(key);
        return values.containsKey(key);
    }

    Object raw(String key) {
        known.add(key);
        return values.get(key);
    }

    YamlSection section(String key) {
        return of(child(key), raw(key));
    }

    String string(String key, String def) {
        Object v = raw(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Map || v instanceof List) {
            throw new ConfigException(child(key), "must be a string, got " + describe(v));
        }
        return String.valueOf(v);
    }

    boolean bool(String key, boolean def) {
        Object v = raw(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ConfigException(child(key), "must be true or false, got " + describe(v));
    }

    int integer(String key, int def) {
        Integer v = optInteger(key);
        return v == null ? def : v;
    }

    Integer optInteger(String key) {
        return opt(key, YamlSection::toInt);
    }

    long longValue(String key, long def) {
        Object v = raw(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw new ConfigException(child(key), "must be an integer, got " + describe(v));
    }

    double number(String key, double def) {
        Double v = optNumber(key);
        return v == null ? def : v;
    }

    Double optNumber(String key) {
        return opt(key, YamlSection::toDouble);
    }

    /** The value of {@code key} converted by {@code convert} (given the key's path for errors), or null if absent. */
    private <T> T opt(String key, BiFunction<String, Object, T> convert) {
        Object v = raw(key);
        return v == null ? null : convert.apply(child(key), v);
    }

    List<Double> numbers(String key, List<Double> def) {
        return list(key, def, "numbers", YamlSection::toDouble);
    }

    List<Integer> integers(String key, List<Integer> def) {
        return list(key, def, "integers", YamlSection::toInt);
    }

    /** The list at {@code key}, each item converted by {@code convert} (given the item's path for errors). */
    private <T> List<T> list(String key, List<T> def, String what, BiFunction<String, Object, T> convert) {
        Object v = raw(key);
        if (v == null) {
            return def;
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigException(child(key), "must be a list of " + what + ", got " + describe(v));
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(convert.apply(child(key) + "[" + i + "]", list.get(i)));
        }
        return List.copyOf(out);
    }

    List<String> strings(String key, List<String> def) {
        Object v = raw(key);
        if (v == null) {
            return def;
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigException(child(key), "must be a list of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            if (o == null || o instanceof Map || o instanceof List) {
                throw new ConfigException(child(key) + "[" + i + "]", "must be a string, got " + describe(o));
            }
            out.add(String.valueOf(o));
        }
        return List.copyOf(out);
    }

    /** Rejects every key that no getter asked for. */
    void finish() {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                String hint = closest(key, known);
                throw new ConfigException(child(key), "unknown key"
                        + (hint == null ? "" : " (did you mean '" + child(hint) + "'?)")
                        + "; valid keys here: " + known);
            }
        }
    }

    static int toInt(String path, Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw new ConfigException(path, "must be an integer, got " + describe(v));
    }

    static double toDouble(String path, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            // YAML 1.1 reads "1e-6" (no dot) as a string; accept it as the number it obviously is.
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        throw new ConfigException(path, "must be a number, got " + describe(v));
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list " + v;
        }
        return String.valueOf(v);
    }

    /** Closest candidate by edit distance, or null when nothing is reasonably close. */
    static String closest(String key, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(key.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 2) ? best : null;
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
