/**
 * Socket tables from {@code /proc/net/{tcp,tcp6,udp,udp6}}: the fallback when sock_diag is not
 * available. Follows the kernel's seq_file formats ({@code net/ipv4/tcp_ipv4.c},
 * {@code net/ipv6/tcp_ipv6.c}, {@code net/ipv4/udp.c}, {@code net/ipv6/datagram.c}).
 *
 * <p>Readers and parsers are not thread-safe (they reuse buffers); use one per thread. Memory per
 * reader is fixed (a 64 KiB read buffer and a {@value dev.conntrace.sockets.proc.ProcNetReader#MAX_LINE}-byte
 * line); rows are streamed, never collected.
 */
package dev.conntrace.sockets.proc;
