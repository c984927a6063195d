package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code loss} section.
 *
 * @param type {@link LossType#L1} ({@code l1}, V-JEPA: mean(|pred - target|^p)/p per mask set, then mean over sets)
 *     or {@link LossType#SMOOTH_L1} ({@code smooth_l1}, I-JEPA: smooth L1 with beta 1, mean over all elements)
 * @param lossExp the exponent p of the V-JEPA loss (1.0: L1)
 */
public record LossConfig(LossType type, double lossExp) {

    static final String S = "loss";

    /** Validates every field; messages name the key path and the value. */
    public LossConfig {
        Objects.requireNonNull(type, S + ".type");
        Checks.positive(S + ".loss_exp", lossExp);
    }

    /**
     * V-JEPA loss: L1 (p = 1).
     *
     * @return V-JEPA loss: L1 (p = 1)
     */
    public static LossConfig defaults() {
        return new LossConfig(LossType.L1, 1.0);
    }

    static LossConfig from(YamlSection y) {
        LossConfig d = defaults();
        LossConfig out = new LossConfig(LossType.parse(S + ".type", y.string("type", d.type.yamlName())), y.number("loss_exp", d.lossExp));
        y.finish();
        return out;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type.yamlName());
        m.put("loss_exp", lossExp);
        return m;
    }
}
