/** conntrace sockets. */
module dev.conntrace.sockets {
    requires transitive dev.conntrace.netlink;
    exports dev.conntrace.sockets;
}
