package org.jepa4j.train.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code optimization} section: AdamW, schedules and gradient handling, with the reference
 * semantics: every schedule spans {@code ipe * epochs * ipe_scale} steps, warmup is in epochs, and
 * training itself stops after {@code ipe * epochs} steps (so ipe_scale 1.25 stops at 80% of the schedule).
 *
 * @param ipe iterations (optimizer steps) per epoch; 0 means "one pass over the data set"
 * @param ipeScale schedule length multiplier
 * @param epochs training epochs
 * @param warmup linear LR warmup length in epochs (may be fractional)
 * @param startLr LR at the start of warmup
 * @param lr peak LR, reached at the end of warmup
 * @param finalLr LR at the end of the cosine schedule
 * @param lrSchedule after warmup: {@code cosine} (V-JEPA 1, I-JEPA), {@code constant} (V-JEPA 2) or
 *     {@code linear} decay to {@code finalLr} (V-JEPA 2's cooldown)
 * @param weightDecay initial weight decay (cosine schedule to {@code finalWeightDecay})
 * @param finalWeightDecay final weight decay
 * @param ema target-encoder momentum [start, end], linear over the schedule
 * @param clipGrad max gradient norm of each network (encoder and predictor clipped separately, as the reference
 *     V-JEPA), or null for no clipping
 * @param clipGradAfterWarmup clip only once the epoch exceeds the warmup (reference V-JEPA behaviour)
 * @param betas AdamW (beta1, beta2)
 * @param eps AdamW epsilon
 * @param gradAccumSteps micro-batches accumulated per optimizer step
 */
public record OptimizationConfig(
        int ipe,
        double ipeScale,
        int epochs,
        double warmup,
        double startLr,
        double lr,
        double finalLr,
        String lrSchedule,
        double weightDecay,
        double finalWeightDecay,
        List<Double> ema,
        Double clipGrad,
        boolean clipGradAfterWarmup,
        List<Double> betas,
        double eps,
        int gradAccumSteps) {

    static final String S = "optimization";

    /** Validates every field; messages name the key path and the value. */
    public OptimizationConfig {
        Checks.nonNegative(S + ".ipe", ipe);
        Checks.positive(S + ".ipe_scale", ipeScale);
        Checks.positive(S + ".epochs", epochs);
        Checks.nonNegative(S + ".warmup", warmup);
        Checks.nonNegative(S + ".start_lr", startLr);
        Checks.positive(S + ".lr", lr);
        Checks.nonNegative(S + ".final_lr", finalLr);
        Checks.oneOf(S + ".lr_schedule", lrSchedule, List.of("cosine", "constant", "linear"));
        Checks.nonNegative(S + ".weight_decay", weightDecay);
        Checks.nonNegative(S + ".final_weight_decay", finalWeightDecay);
        Checks.range(S + ".ema", ema, 0.0, 1.0);
        ema = List.copyOf(ema);
        if (clipGrad != null) {
            Checks.positive(S + ".clip_grad", clipGrad);
        }
        if (betas == null || betas.size() != 2) {
            throw new ConfigException(S + ".betas", "must be a list of two numbers [beta1, beta2], got " + betas);
        }
        Checks.inRange(S + ".betas[0]", betas.get(0), 0.0, 0.999999999);
        Checks.inRange(S + ".betas[1]", betas.get(1), 0.0, 0.999999999);
        betas = List.copyOf(betas);
        Checks.positive(S + ".eps", eps);
        Checks.positive(S + ".grad_accum_steps", gradAccumSteps);
    }

    /**
     * V-JEPA ViT-L/16 recipe (configs/pretrain/vitl16.yaml).
     *
     * @return V-JEPA ViT-L/16 recipe (configs/pretrain/vitl16.yaml)
     */
    public static OptimizationConfig defaults() {
        return new OptimizationConfig(300, 1.25, 300, 40, 2e-4, 6.25e-4, 1e-6, "cosine", 0.04, 0.4,
                List.of(0.998, 1.0), 10.0, true, List.of(0.9, 0.999), 1e-8, 1);
    }

    /**
     * Steps the schedules span for a given iterations-per-epoch: {@code (long)(ipeScale * epochs * ipe)}.
     *
     * @param iterationsPerEpoch iterations per epoch (ipe)
     * @return the schedule length in steps
     */
    public long scheduleSteps(long iterationsPerEpoch) {
        return (long) (ipeScale * epochs * iterationsPerEpoch);
    }

    /**
     * Steps actually trained: {@code ipe * epochs}.
     *
     * @param iterationsPerEpoch iterations per epoch (ipe)
     * @return the steps a run trains
     */
    public long trainingSteps(long iterationsPerEpoch) {
        return iterationsPerEpoch * epochs;
    }

    /**
     * Warmup length in steps: {@code (long)(warmup * ipe)}.
     *
     * @param iterationsPerEpoch iterations per epoch (ipe)
     * @return the warmup length in steps
     */
    public long warmupSteps(long iterationsPerEpoch) {
        return (long) (warmup * iterationsPerEpoch);
    }

    static OptimizationConfig from(YamlSection y) {
        OptimizationConfig d = defaults();
        // Absent: the recipe default; written as null: no clipping.
        Double clip = y.written("clip_grad") ? y.optNumber("clip_grad") : d.clipGrad;
        OptimizationConfig out = new OptimizationConfig(
                y.integer("ipe", d.ipe),
                y.number("ipe_scale", d.ipeScale),
                y.integer("epochs", d.epochs),
                y.number("warmup", d.warmup),
                y.number("start_lr", d.startLr),
                y.number("lr", d.lr),
                y.number("final_lr", d.finalLr),
                y.string("lr_schedule", d.lrSchedule),
                y.number("weight_decay", d.weightDecay),
                y.number("final_weight_decay", d.finalWeightDecay),
                y.numbers("ema", d.ema),
                clip,
                y.bool("clip_grad_after_warmup", d.clipGradAfterWarmup),
                y.numbers("betas", d.betas),
                y.number("eps", d.eps),
                y.integer("grad_accum_steps", d.gradAccumSteps));
        y.finish();
        return out;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ipe", ipe);
        m.put("ipe_scale", ipeScale);
        m.put("epochs", epochs);
        m.put("warmup", warmup);
        m.put("start_lr", startLr);
        m.put("lr", lr);
        m.put("final_lr", finalLr);
        m.put("lr_schedule", lrSchedule);
        m.put("weight_decay", weightDecay);
        m.put("final_weight_decay", finalWeightDecay);
        m.put("ema", ema);
        m.put("clip_grad", clipGrad);
        m.put("clip_grad_after_warmup", clipGradAfterWarmup);
        m.put("betas", betas);
        m.put("eps", eps);
        m.put("grad_accum_steps", gradAccumSteps);
        return m;
    }
}
