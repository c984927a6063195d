package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code eval} section: how a run's models are scored by default after training. Nothing here changes training.
 *
 * @param physicsContext the context lengths in frames that {@code jepa4j physics --run} uses when none are given (its
 *     {@code --context}); empty: the evaluation's own default (2, 4, 6 where they fit the clip). A recipe chosen for
 *     one context length (the {@code physics_long} preset: 10) carries it here, so the run is scored as it was tuned.
 */
public record EvalConfig(List<Integer> physicsContext) {

    static final String S = "eval";

    /** Validates every field; messages name the key path and the value. */
    public EvalConfig {
        physicsContext = List.copyOf(physicsContext);
        for (int i = 0; i < physicsContext.size(); i++) {
            Checks.positive(S + ".physics_context[" + i + "]", physicsContext.get(i));
        }
    }

    /**
     * No scoring defaults of its own: every evaluation uses its library default.
     *
     * @return no scoring defaults of its own: every evaluation uses its library default
     */
    public static EvalConfig defaults() {
        return new EvalConfig(List.of());
    }

    static EvalConfig from(YamlSection y) {
        EvalConfig out = new EvalConfig(y.integers("physics_context", List.of()));
        y.finish();
        return out;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("physics_context", physicsContext);
        return m;
    }
}
