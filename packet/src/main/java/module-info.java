/** conntrace packet. */
module dev.conntrace.packet {
    requires transitive dev.conntrace.sys;
    exports dev.conntrace.packet;
}
