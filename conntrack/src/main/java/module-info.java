/** conntrack over ctnetlink. */
module dev.conntrace.conntrack {
    requires transitive dev.conntrace.netlink;
    exports dev.conntrace.conntrack;
}
