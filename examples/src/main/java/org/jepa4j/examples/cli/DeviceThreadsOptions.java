package org.jepa4j.examples.cli;

import ai.djl.Device;
import org.jepa4j.train.Devices;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code --device} (default auto) and {@code --threads} options of the commands that run one model on one
 * device ({@code extract}, {@code physics}, {@code world predict}); the commands whose device defaults to their
 * configuration's declare {@code --device} themselves and use {@link DeviceOption} and {@link ThreadsOption}.
 */
final class DeviceThreadsOptions {

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Mixin
    ThreadsOption threadsOption;

    /**
     * Sets the thread count when {@code --threads} was given (before the engine starts).
     *
     * @param cli the command, for the usage error
     */
    void applyThreads(CommandLine cli) {
        threadsOption.apply(cli);
    }

    /**
     * Checks the form of {@code --device}.
     *
     * @param cli the command, for the usage error
     */
    void checkDevice(CommandLine cli) {
        DeviceOption.check(cli, device);
    }

    /**
     * Resolves {@code --device} to the first device it names.
     *
     * @return the device
     */
    Device resolve() {
        return Devices.resolve(device).get(0);
    }
}
