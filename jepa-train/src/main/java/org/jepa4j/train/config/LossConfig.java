package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code loss} section.
 *
 * @param type {@code l1} (V-JEPA: mean(|pred - target|^p)/p per mask set, then mean over sets) or
 *     {@code smooth_l1} (I-JEPA: smooth L1 with beta 1, mean over all elements)
 * @param lossExp the exponent p of the V-JEPA loss (1.0: L1)
 */
public record LossConfig(String type, double lossExp) {

    static final String S = "loss";

    /** Validates every field; messages name the key path and the value. */
    public LossConfig {
        Checks.oneOf(S + ".type", type, List.of("l1", "smooth_l1"));
        Checks.positive(S + ".loss_exp", lossExp);
    }

    /** V-JEPA loss: L1 (p = 1). */
    public static LossConfig defaults() {
        return new LossConfig("l1", 1.0);
    }

    static LossConfig from(YamlSection y) {
        LossConfig d = defaults();
        LossConfig out = new LossConfig(y.string("type", d.type), y.number("loss_exp", d.lossExp));
        y.finish();
        return out;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("loss_exp", lossExp);
        return m;
    }
}
