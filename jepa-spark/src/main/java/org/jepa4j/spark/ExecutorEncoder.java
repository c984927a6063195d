package org.jepa4j.spark;

import ai.djl.Device;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.jepa4j.train.Devices;
import org.jepa4j.train.features.FrozenEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frozen encoder of this JVM: created lazily by the first task that needs it and shared by every later task of
 * the executor (and, in {@code local[*]} mode, by the driver), so weights are read once per executor, not once per
 * task or partition. Tasks sharing it run one forward pass at a time ({@link FrozenEncoder#encode}).
 *
 * <p>The device is the task's GPU when Spark schedules GPUs ({@code spark.executor.resource.gpu.amount},
 * {@code spark.task.resource.gpu.amount}: the first address of the task's {@code gpu} resource), else the job's
 * {@code --device} setting.
 */
public final class ExecutorEncoder {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorEncoder.class);
    private static final Map<String, FrozenEncoder> ENCODERS = new LinkedHashMap<>();
    private static int loads;

    private ExecutorEncoder() {
    }

    /**
     * Returns this JVM's encoder for {@code spec} on {@code device}, loading it on first use.
     *
     * @param spec where the weights are
     * @param device the device
     * @return the shared encoder (do not close it; see {@link #release()})
     * @throws IOException if the weights cannot be read
     */
    public static synchronized FrozenEncoder get(EncoderSpec spec, Device device) throws IOException {
        String key = spec.key() + "@" + device;
        FrozenEncoder enc = ENCODERS.get(key);
        if (enc == null) {
            long t0 = System.nanoTime();
            enc = FrozenEncoder.load(spec.loader(), device);
            ENCODERS.put(key, enc);
            loads++;
            LOG.info("loaded encoder {} on {} in {} ms", enc.description(), device,
                    (System.nanoTime() - t0) / 1_000_000);
        }
        return enc;
    }

    /**
     * The device of the current task: its first scheduled GPU when Spark gave it one, else {@code device}
     * resolved as {@code --device} is ({@code auto}: the first GPU DJL sees, else the CPU).
     *
     * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
     * @return the device
     */
    public static Device taskDevice(String device) {
        TaskContext tc = TaskContext.get();
        if (tc != null) {
            ResourceInformation gpu = tc.resourcesJMap().get("gpu");
            if (gpu != null && gpu.addresses().length > 0) {
                return Device.gpu(Integer.parseInt(gpu.addresses()[0].trim()));
            }
        }
        return Devices.resolve(device).get(0);
    }

    /**
     * How many encoders this JVM has loaded (one per spec and device).
     *
     * @return the count
     */
    public static synchronized int loads() {
        return loads;
    }

    /** Closes and forgets every encoder of this JVM (between jobs of a long-lived driver, or at the end). */
    public static synchronized void release() {
        ENCODERS.values().forEach(FrozenEncoder::close);
        ENCODERS.clear();
    }
}
