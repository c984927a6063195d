package org.jepa4j.train.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Base64;
import java.util.Random;

/**
 * Exact capture and restore of a {@link java.util.Random}'s state (seed and cached Gaussian) as a string,
 * for checkpoints: a restored generator continues with the very same numbers. Uses Java serialization
 * of {@code java.util.Random} only (a filter rejects every other class).
 */
public final class RngState {

    private RngState() {
    }

    /**
     * Captures the state of a generator (of class exactly {@code java.util.Random}).
     *
     * @param random the generator; not modified
     * @return Base64 text to store in a checkpoint
     */
    public static String capture(Random random) {
        if (random.getClass() != Random.class) {
            throw new IllegalArgumentException("only java.util.Random can be captured, got " + random.getClass());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize java.util.Random", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * Recreates a generator from {@link #capture(Random)} output.
     *
     * @param state the captured text
     * @return a new generator in the captured state
     * @throws IllegalArgumentException if the text is not a captured {@code java.util.Random}
     */
    public static Random restore(String state) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RNG state is not Base64: " + e.getMessage(), e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(info -> {
                Class<?> c = info.serialClass();
                if (c == null) {
                    return info.depth() > 3 || info.references() > 16 ? ObjectInputFilter.Status.REJECTED
                            : ObjectInputFilter.Status.UNDECIDED;
                }
                return c == Random.class ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
            });
            Object o = in.readObject();
            if (!(o instanceof Random r)) {
                throw new IllegalArgumentException("RNG state holds " + o.getClass() + ", not java.util.Random");
            }
            return r;
        } catch (InvalidClassException e) {
            throw new IllegalArgumentException("RNG state holds a class other than java.util.Random", e);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalArgumentException("RNG state is corrupt: " + e.getMessage(), e);
        }
    }
}
