/** conntrace reassembly: TCP stream reassembly. */
module dev.conntrace.reassembly {
    requires transitive dev.conntrace.packet;
    exports dev.conntrace.reassembly;
}
