package org.jepa4j.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.jepa4j.train.config.TrainConfig;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    @Test
    void warmupThenCosineAtHandComputedSteps() {
        // warmup 10, total 110, start 0.1, ref 1.0, final 0.0
        WarmupCosineSchedule s = new WarmupCosineSchedule(10, 0.1, 1.0, 0.0, 110, false);
        assertEquals(0.1 + 0.09, s.step(), 1e-12); // step 1: 0.1 + 1/10 * 0.9
        assertEquals(0.1 + 0.9 * 5 / 10, s.valueAt(5), 1e-12);
        assertEquals(1.0, s.valueAt(10), 1e-12); // end of warmup: cosine progress 0
        assertEquals(0.5, s.valueAt(60), 1e-12); // halfway through 100 cosine steps: 0.5*(1+cos(pi/2))
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.25)), s.valueAt(35), 1e-12);
        assertEquals(0.0, s.valueAt(110), 1e-12);
        assertEquals(0.0, s.valueAt(500), 1e-12); // stays at final past the end
        WarmupCosineSchedule c = new WarmupCosineSchedule(10, 0.1, 1.0, 0.0, 110, true);
        assertEquals(0.55, c.valueAt(5), 1e-12);
        assertEquals(1.0, c.valueAt(80), 1e-12);
        // linear decay after warmup (V-JEPA 2 cooldown): ref 1.0 -> final 0.0 over steps 10..110
        WarmupCosineSchedule l = new WarmupCosineSchedule(10, 0.1, 1.0, 0.0, 110, WarmupCosineSchedule.Decay.LINEAR);
        assertEquals(0.55, l.valueAt(5), 1e-12);
        assertEquals(1.0, l.valueAt(10), 1e-12);
        assertEquals(0.75, l.valueAt(35), 1e-12);
        assertEquals(0.0, l.valueAt(110), 1e-12);
        assertEquals(0.0, l.valueAt(300), 1e-12);
        assertEquals(WarmupCosineSchedule.Decay.LINEAR, WarmupCosineSchedule.Decay.of("linear"));
    }

    @Test
    void cosineWeightDecay() {
        CosineWdSchedule s = new CosineWdSchedule(0.04, 0.4, 100);
        assertEquals(0.4 + (0.04 - 0.4) * 0.5 * (1 + Math.cos(Math.PI * 0.01)), s.step(), 1e-12);
        assertEquals(0.22, s.valueAt(50), 1e-12);
        assertEquals(0.4, s.valueAt(100), 1e-12);
        assertEquals(0.4, s.valueAt(150), 1e-12); // clamped at final
    }

    @Test
    void linearMomentumStartsAtStartOnTheFirstStep() {
        LinearMomentumSchedule s = new LinearMomentumSchedule(0.996, 1.0, 1000);
        assertEquals(0.996, s.step(), 1e-15);
        assertEquals(0.996 + 0.004 / 1000, s.step(), 1e-15);
        assertEquals(0.998, s.valueAt(501), 1e-12);
        assertEquals(1.0, s.valueAt(1001), 1e-12);
        assertEquals(1.0, s.valueAt(5000), 1e-12);
    }

    @Test
    void vitl16ScheduleUsesIpeScale() {
        TrainConfig c = TrainConfig.preset("vjepa_vitl16");
        TrainingSchedules s = TrainingSchedules.fromConfig(c.optimization(), 300);
        assertEquals(12000, s.lr().warmupSteps());
        assertEquals(112500, s.lr().totalSteps());
        assertEquals(2e-4 + (6.25e-4 - 2e-4) / 12000, s.lr().valueAt(1), 1e-15);
        // Training stops after 90000 steps = 80% of the schedule.
        double p = (90000.0 - 12000) / (112500 - 12000);
        assertEquals(1e-6 + (6.25e-4 - 1e-6) * 0.5 * (1 + Math.cos(Math.PI * p)), s.lr().valueAt(90000), 1e-15);
        assertEquals(0.998 + 89999 * 0.002 / 112500, s.momentum().valueAt(90000), 1e-15);
        assertEquals(0.4 + (0.04 - 0.4) * 0.5 * (1 + Math.cos(Math.PI * 0.8)), s.wd().valueAt(90000), 1e-15);
    }

    @Test
    void stateRoundTripsAndResumesTheSequence() {
        TrainConfig c = TrainConfig.preset("vjepa_tiny");
        TrainingSchedules a = TrainingSchedules.fromConfig(c.optimization(), 50);
        for (int i = 0; i < 137; i++) {
            a.lr().step();
            a.wd().step();
            a.momentum().step();
        }
        Map<String, Long> state = a.state();
        assertEquals(Map.of("lr", 137L, "wd", 137L, "momentum", 137L), state);
        TrainingSchedules b = TrainingSchedules.fromConfig(c.optimization(), 50);
        b.restore(state);
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(a.lr().step(), a.wd().step(), a.momentum().step()),
                    List.of(b.lr().step(), b.wd().step(), b.momentum().step()));
        }
    }
}
