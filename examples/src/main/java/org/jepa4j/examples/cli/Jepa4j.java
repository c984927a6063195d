package org.jepa4j.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code jepa4j} command line.
 *
 * <p>Exit codes: 0 success, 1 a runtime failure (missing path, unreadable config, unknown model directory),
 * 2 a usage error.
 */
@Command(
        name = "jepa4j",
        mixinStandardHelpOptions = true,
        version = "jepa4j 0.1.0-SNAPSHOT",
        description = "Joint-Embedding Predictive Architectures (V-JEPA, V-JEPA 2, I-JEPA) on the JVM.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Jepa4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line without exiting the JVM.
     *
     * @param args command-line arguments
     * @return the exit code
     */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Jepa4j());
        cli.setExecutionExceptionHandler(new ErrorHandler());
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try --help)");
    }
}
