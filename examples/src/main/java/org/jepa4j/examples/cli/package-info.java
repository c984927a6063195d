/**
 * The {@code jepa4j} command line: one entry point ({@link org.jepa4j.examples.cli.Jepa4j}) with one class per
 * command.
 */
package org.jepa4j.examples.cli;
