package org.jepa4j.examples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code jepa4j} command line.
 *
 * <p>Commands: {@code pretrain}, {@code extract}, {@code probe}, {@code physics}, {@code masks}, {@code bench},
 * {@code doctor}, {@code world} (one class each in this package); {@code jepa4j <command> --help} describes each.
 *
 * <p>Exit codes: 0 success (also a pretraining run stopped by SIGINT/SIGTERM after its checkpoint), 1 a runtime
 * failure (missing path, unreadable config, unknown model directory; one line on standard error naming it),
 * 2 a usage error (one line on standard error).
 */
@Command(
        name = "jepa4j",
        mixinStandardHelpOptions = true,
        version = "jepa4j 0.1.0-SNAPSHOT",
        description = "Joint-Embedding Predictive Architectures (V-JEPA, V-JEPA 2, I-JEPA) on the JVM.",
        subcommands = {
            PretrainCommand.class,
            ExtractCommand.class,
            ProbeCommand.class,
            PhysicsCommand.class,
            MasksCommand.class,
            BenchCommand.class,
            DoctorCommand.class,
            WorldCommand.class,
            CommandLine.HelpCommand.class
        })
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
        return execute(null, null, args);
    }

    /**
     * Runs the command line without exiting the JVM, printing to the given writers (for tests and embedding).
     *
     * @param out standard output of the commands, or null for {@code System.out}
     * @param err standard error (usage errors and one-line failures), or null for {@code System.err}
     * @param args command-line arguments
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Jepa4j());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try --help)");
    }
}
