package org.jepa4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The check of a {@code --device} value, shared by the commands that take one: {@code pretrain}, {@code world train}
 * and {@code doctor} declare the option themselves, with their own default and help text; {@code extract},
 * {@code physics} and {@code world predict} take it from {@link DeviceThreadsOptions}.
 */
final class DeviceOption {

    private DeviceOption() {
    }

    /**
     * Checks the form of a {@code --device} value.
     *
     * @param cli the command, for the usage error
     * @param device the value, or null when the option was not given
     * @throws ParameterException (exit 2) unless it is cpu, gpu, gpu:N or auto
     */
    static void check(CommandLine cli, String device) {
        if (device != null && !device.matches("cpu|gpu|auto|gpu:\\d+")) {
            throw new ParameterException(cli, "--device must be cpu, gpu, gpu:N or auto, got '" + device + "'");
        }
    }
}
