/**
 * Socket tables from sock_diag ({@code NETLINK_SOCK_DIAG}, {@code SOCK_DIAG_BY_FAMILY}) following
 * {@code <linux/sock_diag.h>}, {@code <linux/inet_diag.h>} ({@code inet_diag_req_v2},
 * {@code inet_diag_msg}, {@code INET_DIAG_*} attributes) and {@code <linux/tcp.h>} ({@code tcp_info}).
 *
 * <p>Dumps are streamed: {@link dev.conntrace.sockets.diag.SockDiag} hands each decoded socket to a
 * {@link dev.conntrace.sockets.diag.SocketSink} while reading, with one fixed receive buffer.
 * {@link dev.conntrace.sockets.diag.SocketTable} keeps one client per namespace and a keyed table
 * capped at a configured size (overflow counted). None of these classes is thread-safe; the
 * decoders allocate only their results.
 */
package dev.conntrace.sockets.diag;
