/** Netlink sockets, message framing and attributes. */
package dev.conntrace.netlink;
