/** Netlink sockets, message framing and attributes; the nfnetlink header; a fake kernel for tests. */
module dev.conntrace.netlink {
    requires transitive dev.conntrace.sys;

    exports dev.conntrace.netlink;
    exports dev.conntrace.netlink.netfilter;
    exports dev.conntrace.netlink.fake;
}
