/**
 * A function-backed fake of the kernel side of a netlink socket, for unit tests of everything above
 * {@link dev.conntrace.netlink.NetlinkTransport} without root. Test support shipped in main code so
 * that the modules above (conntrack, sockets) can use it; production code never needs it.
 * Thread-safe (synchronized); memory grows with the replies queued and requests recorded.
 */
package dev.conntrace.netlink.fake;
