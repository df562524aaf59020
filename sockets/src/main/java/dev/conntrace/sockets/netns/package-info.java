/**
 * The host's network namespaces, found from {@code /proc/PID/ns/net} links ({@code net:[INODE]})
 * and {@code ip netns} names under {@code /run/netns} (see namespaces(7), ip-netns(8)),
 * deduplicated by nsfs inode.
 *
 * <p>A scanner is not thread-safe; {@link dev.conntrace.sockets.netns.NetnsRef} is immutable. A
 * scan returns at most {@value dev.conntrace.sockets.netns.NetnsScanner#MAX_NAMESPACES} namespaces.
 */
package dev.conntrace.sockets.netns;
