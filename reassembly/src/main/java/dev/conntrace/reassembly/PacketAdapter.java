package dev.conntrace.reassembly;

import dev.conntrace.packet.DecodedPacket;

/** Fills a {@link TcpSegment} from a decoded packet of module {@code packet}, without allocating. */
public final class PacketAdapter {
    private PacketAdapter() {}

    /**
     * True if {@code p} is a whole, unfragmented TCP segment; then {@code out} describes it.
     *
     * @param checkChecksums verify the IPv4 header and TCP checksums where the capture holds the whole packet
     */
    public static boolean fill(DecodedPacket p, long timestampNanos, long packetIndex, boolean checkChecksums, TcpSegment out) {
        if (!p.isTcp() || p.isFragment()) {
            return false;
        }
        out.capture(timestampNanos, packetIndex)
                .endpoints(p.ipVersion() == 6, p.srcHigh(), p.srcLow(), p.srcPort(), p.dstHigh(), p.dstLow(), p.dstPort())
                .header(p.seq(), p.ack(), p.tcpFlags(), p.window());
        int len = p.payloadLength();
        out.payload(p.data(), len > 0 ? p.payloadOffset() : 0, len, p.payloadMissing());
        ChecksumStatus cs = ChecksumStatus.UNCHECKED;
        if (checkChecksums && p.transportChecksumVerifiable()) {
            cs = p.verifyIpChecksum() && p.verifyTransportChecksum() ? ChecksumStatus.GOOD : ChecksumStatus.BAD;
        }
        out.checksum(cs);
        return true;
    }
}
