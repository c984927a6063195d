package org.jepa4j.core.model;

import ai.djl.ndarray.NDArray;

/**
 * The keys and values one attention layer has seen so far, for incremental (cached) decoding: each call of
 * {@link Attention#forwardCached(NDArray, Rope3D, KeyValueCache)} appends the new tokens' keys and values and
 * attends the new queries over everything cached. The arrays belong to the manager of the inputs that produced them; close that
 * manager (or drop the cache with it) to free them.
 */
public final class KeyValueCache {

    private NDArray keys; // [B, heads, n, hd]
    private NDArray values; // [B, heads, n, hd]

    /** Creates an empty cache. */
    public KeyValueCache() {}

    /**
     * Appends new keys and values along the token axis.
     *
     * @param k new keys {@code [B, heads, n, hd]} (already rotated by RoPE, if any)
     * @param v new values {@code [B, heads, n, hd]}
     * @return the cached keys and values, old then new: {@code [B, heads, n_total, hd]} each
     * @throws IllegalArgumentException if the batch, heads or head width differ from the cached ones
     */
    NDArray[] append(NDArray k, NDArray v) {
        if (keys == null) {
            keys = k;
            values = v;
        } else {
            var c = keys.getShape();
            var s = k.getShape();
            if (c.get(0) != s.get(0) || c.get(1) != s.get(1) || c.get(3) != s.get(3)) {
                throw new IllegalArgumentException("new keys " + s + " do not extend the cached keys " + c
                        + " (batch, heads and head width must match)");
            }
            keys = keys.concat(k, 2); // [B, heads, n_total, hd]
            values = values.concat(v, 2);
        }
        return new NDArray[] {keys, values};
    }

    /**
     * Number of cached tokens.
     *
     * @return 0 when empty
     */
    public long length() {
        return keys == null ? 0 : keys.getShape().get(2);
    }

    /**
     * Batch size of the cached keys.
     *
     * @return the batch size, or -1 when empty
     */
    public long batchSize() {
        return keys == null ? -1 : keys.getShape().get(0);
    }
}
