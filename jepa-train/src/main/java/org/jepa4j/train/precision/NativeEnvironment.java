package org.jepa4j.train.precision;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Objects;

/**
 * Reads and writes the process environment as native code sees it, through the C library (JNA, already a DJL
 * dependency). {@link System#getenv} is a snapshot taken at JVM start and cannot be changed; libtorch reads
 * variables such as {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE} with the C {@code getenv}, so they must be set here,
 * before the native code first looks. POSIX systems only (Linux, macOS).
 *
 * <p>{@code setenv} is not thread-safe against concurrent {@code getenv} calls in native threads: call it early, on
 * the main thread, before the engine starts working.
 */
public final class NativeEnvironment {

    private NativeEnvironment() {
    }

    /** The C library's environment functions. */
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);

        int unsetenv(String name);
    }

    private static final class Holder {
        static final LibC C = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    private static LibC libc() {
        if (Platform.isWindows()) {
            throw new UnsupportedOperationException("NativeEnvironment supports POSIX systems only; on Windows set "
                    + "the variable in the launcher before starting the JVM");
        }
        return Holder.C;
    }

    /**
     * Sets a variable in the native process environment (overwriting any value).
     *
     * @param name variable name, non-empty, without '='
     * @param value the value
     * @throws IllegalArgumentException for a bad name
     * @throws IllegalStateException when the C library refuses
     */
    public static void set(String name, String value) {
        checkName(name);
        Objects.requireNonNull(value, "value");
        if (libc().setenv(name, value, 1) != 0) {
            throw new IllegalStateException("setenv(" + name + ") failed: errno " + Native.getLastError());
        }
    }

    /**
     * Returns a variable as native code sees it now (unlike {@link System#getenv}).
     *
     * @param name variable name
     * @return the value, or null when unset
     */
    public static String get(String name) {
        checkName(name);
        return libc().getenv(name);
    }

    /**
     * Removes a variable from the native process environment.
     *
     * @param name variable name
     */
    public static void unset(String name) {
        checkName(name);
        if (libc().unsetenv(name) != 0) {
            throw new IllegalStateException("unsetenv(" + name + ") failed: errno " + Native.getLastError());
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.indexOf('=') >= 0) {
            throw new IllegalArgumentException("environment variable name must be non-empty without '=', got '"
                    + name + "'");
        }
    }
}
