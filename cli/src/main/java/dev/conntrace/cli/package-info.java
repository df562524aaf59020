/**
 * The {@code conntrace} command: commands parse, call a library, and print.
 *
 * <p>{@code conntrace streams FILE [-w DIR] [--filter EXPR] [-o table|json]} reassembles a capture's TCP
 * streams ({@link dev.conntrace.cli.StreamsCommand}). Records come when a connection completes; times are
 * ISO-8601 UTC with nine fraction digits; {@code --filter} takes {@code tcp}, {@code host ADDR} and
 * {@code port N} joined by {@code and}; {@code -i} (live capture) is not supported yet. Exit status 2 for
 * usage errors, 1 for runtime errors, each one line on stderr ({@code --debug} adds the stack trace).
 */
package dev.conntrace.cli;
