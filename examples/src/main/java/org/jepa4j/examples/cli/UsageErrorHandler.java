package org.jepa4j.examples.cli;

import picocli.CommandLine;

/**
 * Prints a usage error as one line on standard error ({@code jepa4j <command>: <reason> (see ... --help)}) and
 * returns exit code 2, instead of picocli's default of printing the whole usage text.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    /** Exit code of a usage error. */
    static final int USAGE = 2;

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String name = cli.getCommandSpec().qualifiedName();
        String message = e.getMessage() == null ? "invalid arguments" : e.getMessage().replace('\n', ' ');
        cli.getErr().println(name + ": " + message + " (see '" + name + " --help')");
        return USAGE;
    }
}
