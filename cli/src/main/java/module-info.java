/** The {@code conntrace} command. */
module dev.conntrace.cli {
    requires dev.conntrace.netlink;
    requires info.picocli;
    requires com.fasterxml.jackson.core;
    opens dev.conntrace.cli to info.picocli;
}
