/** Netlink sockets, message framing and attributes. */
module dev.conntrace.netlink {
    requires transitive dev.conntrace.sys;
    exports dev.conntrace.netlink;
}
