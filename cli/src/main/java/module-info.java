/** The {@code conntrace} command. */
module dev.conntrace.cli {
    requires dev.conntrace.netlink;
    requires dev.conntrace.conntrack;
    requires dev.conntrace.sockets;
    requires dev.conntrace.reassembly;
    requires info.picocli;
    requires com.fasterxml.jackson.core;
    opens dev.conntrace.cli to info.picocli;
}
