package org.jepa4j.train.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jepa4j.train.config.OptimizationConfig;

/**
 * The three schedules of a JEPA run (learning rate, weight decay, EMA momentum) built from the
 * configuration with the reference ipe/ipe_scale semantics, stepped together and checkpointed together.
 */
public final class TrainingSchedules {

    private final WarmupCosineSchedule lr;
    private final CosineWdSchedule wd;
    private final LinearMomentumSchedule momentum;

    /**
     * Bundles three schedules.
     *
     * @param lr learning-rate schedule
     * @param wd weight-decay schedule
     * @param momentum EMA momentum schedule
     */
    public TrainingSchedules(WarmupCosineSchedule lr, CosineWdSchedule wd, LinearMomentumSchedule momentum) {
        this.lr = lr;
        this.wd = wd;
        this.momentum = momentum;
    }

    /**
     * Builds the reference schedules: LR warmup of {@code (long)(warmup*ipe)} steps then cosine (or constant)
     * over {@code (long)(ipe_scale*epochs*ipe)} steps; WD cosine over the same; momentum linear over
     * {@code ipe*epochs*ipe_scale}.
     *
     * @param c the optimization section
     * @param ipe iterations per epoch actually used (config value, or the loader's length when it is 0)
     * @return fresh schedules at step 0
     */
    public static TrainingSchedules fromConfig(OptimizationConfig c, long ipe) {
        if (ipe < 1) {
            throw new IllegalArgumentException("iterations per epoch must be >= 1, got " + ipe);
        }
        long total = c.scheduleSteps(ipe);
        WarmupCosineSchedule lr = new WarmupCosineSchedule(c.warmupSteps(ipe), c.startLr(), c.lr(), c.finalLr(),
                Math.max(1, total), WarmupCosineSchedule.Decay.of(c.lrSchedule()));
        CosineWdSchedule wd = new CosineWdSchedule(c.weightDecay(), c.finalWeightDecay(), Math.max(1, total));
        LinearMomentumSchedule m = new LinearMomentumSchedule(c.ema().get(0), c.ema().get(1),
                (double) ipe * c.epochs() * c.ipeScale());
        return new TrainingSchedules(lr, wd, m);
    }

    /**
     * Learning-rate schedule.
     *
     * @return learning-rate schedule
     */
    public WarmupCosineSchedule lr() {
        return lr;
    }

    /**
     * Weight-decay schedule.
     *
     * @return weight-decay schedule
     */
    public CosineWdSchedule wd() {
        return wd;
    }

    /**
     * EMA momentum schedule.
     *
     * @return EMA momentum schedule
     */
    public LinearMomentumSchedule momentum() {
        return momentum;
    }

    /**
     * Step counters for a checkpoint: keys {@code lr}, {@code wd}, {@code momentum}.
     *
     * @return step counters for a checkpoint: keys {@code lr}, {@code wd}, {@code momentum}
     */
    public Map<String, Long> state() {
        Map<String, Long> s = new LinkedHashMap<>();
        s.put("lr", lr.stepCount());
        s.put("wd", wd.stepCount());
        s.put("momentum", momentum.stepCount());
        return s;
    }

    /**
     * Restores the counters written by {@link #state()}.
     *
     * @param state keys {@code lr}, {@code wd}, {@code momentum}
     */
    public void restore(Map<String, Long> state) {
        for (String k : new String[] {"lr", "wd", "momentum"}) {
            if (!state.containsKey(k)) {
                throw new IllegalArgumentException("schedule state lacks '" + k + "': " + state);
            }
        }
        lr.restore(state.get("lr"));
        wd.restore(state.get("wd"));
        momentum.restore(state.get("momentum"));
    }
}
