package org.jepa4j.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opt-in TF32 matmuls on NVIDIA GPUs (Ampere and newer) for float32 training: about 2x faster matmuls at ~10-bit
 * mantissa precision of the products, accumulation in fp32.
 *
 * <p>libtorch reads the environment variable {@value #ENV} once, at its first cuBLAS matmul, so it must be in the
 * process environment before any GPU work. The safest way is the launcher: {@code export
 * TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} before {@code java} starts (the {@code jepa4j} script does this for
 * {@code meta.precision: tf32}). {@link #enable()} sets it from inside the JVM through the C library's
 * {@code setenv} (JNA, already a DJL dependency); that works only when called before the first GPU matmul of the
 * process, which the {@link Trainer} does when the configuration asks for {@code tf32}. It has no effect on CPUs.
 */
public final class Tf32 {

    /** The libtorch environment variable that turns TF32 on for fp32 cuBLAS matmuls. */
    public static final String ENV = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

    private static final Logger LOG = LoggerFactory.getLogger(Tf32.class);

    private Tf32() {
    }

    /** The C library's setenv. */
    private interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    /**
     * Whether {@value #ENV}=1 is in the native process environment (set by the launcher or by {@link #enable()}).
     *
     * @return true when TF32 is requested
     */
    public static boolean isRequested() {
        if ("1".equals(System.getenv(ENV))) {
            return true;
        }
        try {
            return "1".equals(libc().getenv(ENV));
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Puts {@value #ENV}=1 into the process environment with {@code setenv}. Call it before the first GPU matmul.
     *
     * @return true if the variable is now set; false if the platform has no {@code setenv} (then set it in the
     *     launcher)
     */
    public static boolean enable() {
        if (isRequested()) {
            return true;
        }
        if (Platform.isWindows()) {
            LOG.warn("Cannot set {} from inside the JVM on Windows; set it before starting java", ENV);
            return false;
        }
        try {
            int rc = libc().setenv(ENV, "1", 1);
            if (rc != 0) {
                LOG.warn("setenv({}) failed with {}; set it before starting java", ENV, rc);
                return false;
            }
            LOG.info("TF32 requested ({}=1); effective only if no GPU matmul ran before", ENV);
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Cannot set {} through JNA ({}); set it before starting java", ENV, e.toString());
            return false;
        }
    }

    private static CLibrary libc() {
        return Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
    }
}
