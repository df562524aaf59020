/**
 * Sockets and the processes that own them: the socket model ({@link dev.conntrace.sockets.SocketEntry},
 * open-enum {@link dev.conntrace.sockets.SocketState}, {@link dev.conntrace.sockets.TcpInfo}).
 *
 * <p>State codes follow {@code include/net/tcp_states.h}; {@code TcpInfo} follows
 * {@code struct tcp_info} in {@code <linux/tcp.h>}. All types here are immutable values, safe to
 * share between threads, and hold no buffers.
 */
package dev.conntrace.sockets;
