/**
 * The {@code conntrace} command: commands parse, call a library, and print.
 *
 * <p>{@code conntrace streams FILE|-i IFACE [-w DIR] [--filter EXPR] [-o table|json]} reassembles the TCP
 * streams of a capture or a live interface ({@link dev.conntrace.cli.StreamsCommand}). Records come when a
 * connection completes; times are ISO-8601 UTC with nine fraction digits; {@code --filter} takes {@code tcp},
 * {@code host ADDR} and {@code port N} joined by {@code and}.
 *
 * <p>{@code conntrace capture -i IFACE -w FILE} writes pcapng ({@link dev.conntrace.cli.CaptureCommand});
 * kernel filters are classic BPF in {@code tcpdump -ddd} form, or a tcpdump expression compiled by the
 * installed tcpdump ({@link dev.conntrace.cli.CaptureFilters}). {@code conntrace dns FILE|-i IFACE} prints DNS
 * transactions ({@link dev.conntrace.cli.DnsCommand}). Live commands stop on a count, a number of seconds,
 * or SIGINT/SIGTERM, through a shutdown hook that lets them flush ({@link dev.conntrace.cli.LiveSession}).
 *
 * <p>Exit status 2 for usage errors, 1 for runtime errors, each one line on stderr ({@code --debug} adds the
 * stack trace).
 */
package dev.conntrace.cli;
