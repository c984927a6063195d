package org.jepa4j.train.probe;

/** The probes {@link ProbeTrainer} can train on frozen features. */
public enum ProbeKind {
    /** A Linear layer on the pooled (token-mean) features {@code [D]}: {@link LinearProbe}. */
    LINEAR,
    /**
     * The V-JEPA 2 attentive probe on the token features {@code [N, D]}: self-attention blocks, one
     * cross-attention from a learned query, then a Linear layer ({@link org.jepa4j.core.model.AttentiveClassifier}).
     */
    ATTENTIVE
}
