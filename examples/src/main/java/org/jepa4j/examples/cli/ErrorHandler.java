package org.jepa4j.examples.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns exceptions escaping a command into a one-line message on standard error and exit code 1; the stack
 * trace is printed only when {@code JEPA4J_DEBUG} is set.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof NoSuchFileException || cause instanceof FileNotFoundException) {
            message = "no such file or folder: " + message;
        } else if (cause instanceof IOException && !message.contains(" ")) {
            message = cause.getClass().getSimpleName() + ": " + message;
        }
        cli.getErr().println(cli.getCommandSpec().qualifiedName() + ": " + message.replace('\n', ' '));
        if (System.getenv("JEPA4J_DEBUG") != null) {
            cause.printStackTrace(cli.getErr());
        }
        return 1;
    }
}
