package org.jepa4j.core.model;

/** How a Vision Transformer tells tokens apart by position. */
public enum PositionKind {
    /** Fixed 2D sin-cos table added to the tokens (I-JEPA); first half of channels encodes the column. */
    SINCOS_2D,
    /** Fixed 3D sin-cos table added to the tokens (V-JEPA 1); see {@code uniformPower} in {@link VitConfig}. */
    SINCOS_3D,
    /** Learned table {@code pos_embed [1, N, D]} added to the tokens (Hugging Face IJepaModel). */
    LEARNED,
    /** 3D rotary embedding of queries and keys inside every attention layer (V-JEPA 2). */
    ROPE_3D,
    /** No position information. */
    NONE;

    /** Returns whether this kind adds a table of vectors to the tokens. */
    boolean isAdditive() {
        return this == SINCOS_2D || this == SINCOS_3D || this == LEARNED;
    }
}
