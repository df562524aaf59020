/**
 * Socket tables from sock_diag ({@code NETLINK_SOCK_DIAG}, {@code SOCK_DIAG_BY_FAMILY}) following
 * {@code <linux/sock_diag.h>}, {@code <linux/inet_diag.h>} ({@code inet_diag_req_v2},
 * {@code inet_diag_msg}, {@code INET_DIAG_*} attributes) and {@code <linux/tcp.h>} ({@code tcp_info}).
 *
 * <p>Dumps are streamed: {@link dev.conntrace.sockets.diag.SockDiag} hands each decoded socket to a
 * {@link dev.conntrace.sockets.diag.SocketSink} while reading, with one fixed receive buffer.
 * {@link dev.conntrace.sockets.diag.SocketTable} keeps one client per namespace and a keyed table
 * capped at a configured size (overflow counted). {@link dev.conntrace.sockets.diag.SocketSnapshot}
 * gives one namespace's sockets in portmaster's shape (TCP connections and listeners, UDP binds with
 * "listens on any address", per family), capped likewise.
 *
 * <p>{@link dev.conntrace.sockets.diag.SocketLookup} answers one packet's 5-tuple without a dump:
 * exact gets ({@code SOCK_DIAG_BY_FAMILY} without {@code NLM_F_DUMP}, the kernel's
 * {@code inet_diag_find_one_icsk} and {@code udp_dump_one}), time budgets as nanoTime deadlines,
 * a capped LRU cache of found results keyed by the tuple's fields (a
 * repeated tuple allocates nothing), and explicit {@link dev.conntrace.sockets.diag.LookupOutcome}
 * and {@link dev.conntrace.sockets.diag.Attribution} values. It is thread-safe (serialised); the
 * other classes are not. The decoders allocate only their results.
 */
package dev.conntrace.sockets.diag;
