/** JMH benchmarks of conntrace's hot paths. */
module dev.conntrace.bench {
    requires dev.conntrace.netlink;
    requires dev.conntrace.packet;
    requires dev.conntrace.conntrack;
    requires dev.conntrace.sockets;
    requires dev.conntrace.reassembly;
    requires jdk.management;
    requires jmh.core;
}
