package org.jepa4j.train.config;

import java.util.List;

/** Range checks shared by the configuration records; every failure names the key path and the value. */
final class Checks {

    private Checks() {
    }

    static void positive(String path, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new ConfigException(path, "must be > 0, got " + fmt(value));
        }
    }

    static void positive(String path, long value) {
        if (value <= 0) {
            throw new ConfigException(path, "must be > 0, got " + value);
        }
    }

    static void nonNegative(String path, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new ConfigException(path, "must be >= 0, got " + fmt(value));
        }
    }

    static void nonNegative(String path, long value) {
        if (value < 0) {
            throw new ConfigException(path, "must be >= 0, got " + value);
        }
    }

    static void inRange(String path, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new ConfigException(path, "must be in [" + fmt(lo) + ", " + fmt(hi) + "], got " + fmt(value));
        }
    }

    /** A [min, max] pair with min <= max, both in [lo, hi]. */
    static void range(String path, List<Double> pair, double lo, double hi) {
        if (pair == null || pair.size() != 2) {
            throw new ConfigException(path, "must be a list of two numbers [min, max], got " + pair);
        }
        inRange(path + "[0]", pair.get(0), lo, hi);
        inRange(path + "[1]", pair.get(1), lo, hi);
        if (pair.get(0) > pair.get(1)) {
            throw new ConfigException(path, "min must be <= max, got " + pair);
        }
    }

    static void oneOf(String path, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new ConfigException(path, "must be one of " + allowed + ", got '" + value + "'");
        }
    }

    /**
     * The constant whose name is {@code value}, else a {@link ConfigException} listing the names (as
     * {@link #oneOf(String, String, List)}).
     */
    static <E> E oneOf(String path, String value, E[] constants, java.util.function.Function<E, String> name) {
        List<String> names = java.util.Arrays.stream(constants).map(name).toList();
        oneOf(path, value, names);
        return constants[names.indexOf(value)];
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
