/**
 * Netlink sockets and framing ({@code /usr/include/linux/netlink.h}, RFC 3549).
 *
 * <ul>
 *   <li>{@link dev.conntrace.netlink.NetlinkSocket}: requests and ACKs, dumps delivered message by
 *       message, multicast events, sequence and port-id checks, extended ACK, ENOBUFS.</li>
 *   <li>{@link dev.conntrace.netlink.MessageCursor} / {@link dev.conntrace.netlink.NetlinkMessage}:
 *       zero-copy views of the messages in a datagram.</li>
 *   <li>{@link dev.conntrace.netlink.AttributeCursor}: attribute decoding without allocation;
 *       {@link dev.conntrace.netlink.MessageBuilder}: attribute writing.</li>
 *   <li>{@link dev.conntrace.netlink.NetlinkTransport}: the datagram layer, real
 *       ({@link dev.conntrace.netlink.KernelTransport}) or fake.</li>
 * </ul>
 *
 * <p>Errors: kernel and socket failures are {@link dev.conntrace.netlink.NetlinkException} (ENOBUFS:
 * {@link dev.conntrace.netlink.MessagesLostException}); undecodable bytes are
 * {@link dev.conntrace.netlink.DecodeException}, TRUNCATED or CORRUPT.
 *
 * <p>Thread-safety: sockets, cursors and builders are single-threaded objects. Memory: a socket owns
 * one read buffer (default 1 MiB, capped at 64 MiB) and one 64 KiB request buffer, both native,
 * freed on close; decoding allocates nothing per message or attribute. Attribute nesting is capped
 * at {@link dev.conntrace.netlink.AttributeCursor#MAX_DEPTH}.
 */
package dev.conntrace.netlink;
