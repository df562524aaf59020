/**
 * The {@code conntrace} command: commands parse, call a library, and print.
 *
 * <p>{@code conntrace ct …} mirrors conntrack-tools ({@code list|-L}, {@code get|-G}, {@code create|-I},
 * {@code update|-U}, {@code delete|-D}, {@code flush|-F}, {@code events|-E}, {@code count|-C},
 * {@code stats|-S}, {@code expect list|flush}) over {@link dev.conntrace.conntrack.Conntrack}; its tuple
 * and filter options ({@link dev.conntrace.cli.CtOptions}) are spelled as conntrack spells them and become
 * a {@link dev.conntrace.conntrack.FlowFilter}. Bad values are one line naming them and exit status 2;
 * EPERM says root or CAP_NET_ADMIN is needed; a missing flow is "no such flow", exit status 1. Dumps
 * stream flows to the printer; delete and update by filter use a second socket, so nothing is collected.
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
 * Their {@code --fanout ID[:MODE]} ({@link dev.conntrace.cli.FanoutOption}) joins a PACKET_FANOUT group, so that
 * several processes share an interface; {@code streams} puts IP fragments back together before reassembly.
 *
 * <p>{@code conntrace lookup PROTO SRC SPORT DST DPORT} answers one packet's tuple
 * ({@link dev.conntrace.cli.LookupCommand}); {@code conntrace lookup -} reads one tuple per line of
 * standard input and answers each on one line, in order, flushed per line unless stdin is a file, so
 * it can run as a co-process ({@link dev.conntrace.cli.LookupBatch}); a bad line is reported and answered
 * with an error line, and the run goes on (exit status 1 at the end).
 *
 * <p>Exit status 2 for usage errors, 1 for runtime errors, each one line on stderr ({@code --debug} adds the
 * stack trace).
 */
package dev.conntrace.cli;
