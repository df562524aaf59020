/** JMH benchmarks of conntrace's hot paths. */
module dev.conntrace.bench {
    requires dev.conntrace.netlink;
    requires dev.conntrace.packet;
    requires jmh.core;
}
