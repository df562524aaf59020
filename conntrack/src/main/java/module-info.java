/** conntrack over ctnetlink: model, wire constants, decoder, client and text formats. */
module dev.conntrace.conntrack {
    requires transitive dev.conntrace.netlink;
    requires transitive dev.conntrace.sys;

    exports dev.conntrace.conntrack;
    exports dev.conntrace.conntrack.wire;
    exports dev.conntrace.conntrack.text;
}
