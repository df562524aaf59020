/** Sockets and processes: socket tables (sock_diag, /proc/net), the inode→process index, directions. */
module dev.conntrace.sockets {
    requires transitive dev.conntrace.netlink;
    exports dev.conntrace.sockets;
    exports dev.conntrace.sockets.proc;
    exports dev.conntrace.sockets.process;
    exports dev.conntrace.sockets.direction;
    exports dev.conntrace.sockets.netns;
    exports dev.conntrace.sockets.diag;
}
