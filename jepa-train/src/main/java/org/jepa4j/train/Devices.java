package org.jepa4j.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import org.jepa4j.train.config.ConfigException;
import org.jepa4j.train.step.JepaStep;

/**
 * Resolves {@code meta.device} to the devices training runs on: {@code auto} (every GPU DJL sees, else the CPU),
 * {@code cpu}, {@code gpu} (every GPU; an error without one) or {@code gpu:N} (that GPU). Several devices mean
 * data-parallel replicas (see {@link JepaStep}).
 */
public final class Devices {

    private Devices() {
    }

    /**
     * Resolves a device specification.
     *
     * @param spec {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @return the devices, the first holding the optimizer state
     * @throws ConfigException naming {@code meta.device} when the request cannot be met
     */
    public static List<Device> resolve(String spec) {
        int gpus = Engine.getInstance().getGpuCount();
        switch (spec) {
            case "cpu":
                return List.of(Device.cpu());
            case "auto":
                return gpus > 0 ? all(gpus) : List.of(Device.cpu());
            case "gpu":
                if (gpus == 0) {
                    throw new ConfigException("meta.device", "'gpu' requested but DJL sees no GPU (use auto or cpu)");
                }
                return all(gpus);
            default:
                if (spec.startsWith("gpu:")) {
                    int id = Integer.parseInt(spec.substring(4));
                    if (id >= gpus) {
                        throw new ConfigException("meta.device", "'" + spec + "' requested but DJL sees " + gpus
                                + " GPU(s)");
                    }
                    return List.of(Device.gpu(id));
                }
                throw new ConfigException("meta.device", "must be auto, cpu, gpu or gpu:N, got '" + spec + "'");
        }
    }

    private static List<Device> all(int gpus) {
        List<Device> out = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            out.add(Device.gpu(i));
        }
        return out;
    }
}
