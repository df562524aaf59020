/** conntrace reassembly: TCP stream reassembly. */
module dev.conntrace.reassembly {
    requires transitive dev.conntrace.packet;
    requires transitive dev.conntrace.sys;
    exports dev.conntrace.reassembly;
}
