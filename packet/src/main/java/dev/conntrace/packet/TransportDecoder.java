package dev.conntrace.packet;

import java.lang.foreign.MemorySegment;

/** TCP (RFC 9293, options RFC 7323 / RFC 2018), UDP (RFC 768), ICMP and ICMPv6 headers in place. */
final class TransportDecoder {
    private TransportDecoder() {}

    static final int TCPOPT_EOL = 0; // TCPOPT_EOL
    static final int TCPOPT_NOP = 1; // TCPOPT_NOP
    static final int TCPOPT_MSS = 2; // TCPOPT_MSS
    static final int TCPOPT_WINDOW = 3; // TCPOPT_WINDOW
    static final int TCPOPT_SACK_PERM = 4; // TCPOPT_SACK_PERM
    static final int TCPOPT_SACK = 5; // TCPOPT_SACK
    static final int TCPOPT_TIMESTAMP = 8; // TCPOPT_TIMESTAMP

    private static int u8(MemorySegment d, long p) {
        return d.get(Bytes.U8, p) & 0xFF;
    }

    private static int u16(MemorySegment d, long p) {
        return d.get(Bytes.U16, p) & 0xFFFF;
    }

    private static long u32(MemorySegment d, long p) {
        return d.get(Bytes.I32, p) & 0xFFFF_FFFFL;
    }

    /** Decodes the transport header at {@code t}; {@code end} is the end of the captured bytes. */
    static void decode(MemorySegment d, long t, long end, DecodedPacket out) {
        long ipEnd = out.ipEnd;
        if (ipEnd > end) {
            out.payloadMissing = (int) Math.min(Integer.MAX_VALUE, ipEnd - Math.max(end, t));
        }
        if (out.fragment) {
            return; // only the reassembled datagram has a transport header to speak of
        }
        out.transportOffset = t;
        switch (out.ipProtocol) {
            case IpProtocol.TCP -> tcp(d, t, end, ipEnd, out);
            case IpProtocol.UDP -> udp(d, t, end, ipEnd, out);
            case IpProtocol.ICMP, IpProtocol.ICMPV6 -> icmp(d, t, end, ipEnd, out);
            default -> payload(t, end, ipEnd, out);
        }
    }

    private static void payload(long from, long end, long ipEnd, DecodedPacket out) {
        out.payloadOffset = from;
        out.payloadLength = (int) Math.max(0, Math.min(end, ipEnd) - from);
        out.payloadMissing = (int) Math.max(0, Math.min(Integer.MAX_VALUE, ipEnd - Math.max(end, from)));
        if (out.payloadMissing > 0 && out.status == DecodeStatus.OK) {
            out.problem(DecodeStatus.TRUNCATED, Layer.PAYLOAD);
        }
    }

    /** Checks a fixed header of {@code length} bytes fits; records the problem and returns false if not. */
    private static boolean header(long t, int length, long end, long ipEnd, DecodedPacket out) {
        if (t + length > ipEnd) {
            out.problem(DecodeStatus.MALFORMED, Layer.TRANSPORT);
            return false;
        }
        if (t + length > end) {
            out.problem(DecodeStatus.TRUNCATED, Layer.TRANSPORT);
            return false;
        }
        return true;
    }

    private static void tcp(MemorySegment d, long t, long end, long ipEnd, DecodedPacket out) {
        if (!header(t, 20, end, ipEnd, out)) {
            return;
        }
        out.srcPort = u16(d, t);
        out.dstPort = u16(d, t + 2);
        out.seq = u32(d, t + 4);
        out.ack = u32(d, t + 8);
        int doff = (u8(d, t + 12) >>> 4) * 4;
        out.tcpFlags = u8(d, t + 13);
        out.window = u16(d, t + 14);
        out.urgentPointer = u16(d, t + 18);
        out.tcpHeaderLength = doff;
        if (doff < 20) {
            out.problem(DecodeStatus.MALFORMED, Layer.TRANSPORT);
            return;
        }
        if (!header(t, doff, end, ipEnd, out)) {
            return;
        }
        out.tcp = true;
        options(d, t + 20, t + doff, out);
        payload(t + doff, end, ipEnd, out);
    }

    /** Walks TCP options; at most 40 bytes, every step advances at least one byte. */
    private static void options(MemorySegment d, long p, long end, DecodedPacket out) {
        while (p < end) {
            int kind = u8(d, p);
            if (kind == TCPOPT_EOL) {
                return;
            }
            if (kind == TCPOPT_NOP) {
                p++;
                continue;
            }
            if (p + 2 > end) {
                out.tcpOptionsMalformed = true;
                return;
            }
            int len = u8(d, p + 1);
            if (len < 2 || p + len > end) {
                out.tcpOptionsMalformed = true;
                return;
            }
            switch (kind) {
                case TCPOPT_MSS -> {
                    if (len == 4) {
                        out.mss = u16(d, p + 2);
                    }
                }
                case TCPOPT_WINDOW -> {
                    if (len == 3) {
                        out.windowScale = u8(d, p + 2);
                    }
                }
                case TCPOPT_SACK_PERM -> out.sackPermitted = true;
                case TCPOPT_SACK -> {
                    int n = Math.min((len - 2) / 8, DecodedPacket.MAX_SACK_BLOCKS);
                    for (int i = 0; i < n; i++) {
                        out.sackLeft[i] = u32(d, p + 2 + 8L * i);
                        out.sackRight[i] = u32(d, p + 6 + 8L * i);
                    }
                    out.sackBlockCount = n;
                }
                case TCPOPT_TIMESTAMP -> {
                    if (len == 10) {
                        out.hasTimestamps = true;
                        out.tsVal = u32(d, p + 2);
                        out.tsEcr = u32(d, p + 6);
                    }
                }
                default -> { } // MPTCP, TFO, MD5, ...: not interpreted
            }
            p += len;
        }
    }

    private static void udp(MemorySegment d, long t, long end, long ipEnd, DecodedPacket out) {
        if (!header(t, 8, end, ipEnd, out)) {
            return;
        }
        out.udp = true;
        out.srcPort = u16(d, t);
        out.dstPort = u16(d, t + 2);
        int udpLength = u16(d, t + 4);
        long udpEnd = ipEnd;
        if (udpLength != 0) { // 0: jumbogram or offload, the IP length rules
            if (udpLength < 8 || t + udpLength > ipEnd) {
                out.problem(DecodeStatus.MALFORMED, Layer.TRANSPORT);
                udpEnd = Math.min(ipEnd, Math.max(t + 8, t + udpLength));
            } else {
                udpEnd = t + udpLength;
            }
        }
        payload(t + 8, end, udpEnd, out);
    }

    private static void icmp(MemorySegment d, long t, long end, long ipEnd, DecodedPacket out) {
        if (!header(t, 4, end, ipEnd, out)) {
            return;
        }
        out.icmp = true;
        out.icmpType = u8(d, t);
        out.icmpCode = u8(d, t + 1);
        long rest = Math.min(t + 8, Math.min(end, ipEnd));
        payload(rest, end, ipEnd, out);
    }
}
