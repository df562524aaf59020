/** The {@code conntrace} command: commands parse, call a library, and print. */
package dev.conntrace.cli;
