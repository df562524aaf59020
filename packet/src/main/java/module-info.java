/**
 * conntrace packet: pcap and pcapng capture files (read in place, and written), link/IP/transport
 * decoding without per-packet allocation, and DNS messages.
 */
module dev.conntrace.packet {
    requires transitive dev.conntrace.sys;
    exports dev.conntrace.packet;
    exports dev.conntrace.packet.dns;
}
