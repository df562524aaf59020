package dev.conntrace.packet;

import java.lang.foreign.MemorySegment;

/** IPv4 (RFC 791) and IPv6 (RFC 8200, jumbograms RFC 2675) headers in place. */
final class NetworkDecoder {
    private NetworkDecoder() {}

    /** IPv6 extension headers walked before the packet is called malformed. */
    static final int MAX_EXTENSION_HEADERS = 16;
    static final int IPV6_TLV_JUMBO = 0xC2; // IPV6_TLV_JUMBO from <linux/ipv6.h>

    private static int u8(MemorySegment d, long p) {
        return d.get(Bytes.U8, p) & 0xFF;
    }

    private static int u16(MemorySegment d, long p) {
        return d.get(Bytes.U16, p) & 0xFFFF;
    }

    private static boolean fail(DecodedPacket out, DecodeStatus status) {
        out.problem(status, Layer.NETWORK);
        return false;
    }

    static boolean ipv4(MemorySegment d, long p, long end, DecodedPacket out) {
        out.networkOffset = p;
        if (end - p < 20) {
            return fail(out, DecodeStatus.TRUNCATED);
        }
        int vihl = u8(d, p);
        int ihl = (vihl & 0xF) * 4;
        if ((vihl >>> 4) != 4 || ihl < 20) {
            return fail(out, DecodeStatus.MALFORMED);
        }
        if (end - p < ihl) {
            return fail(out, DecodeStatus.TRUNCATED);
        }
        int total = u16(d, p + 2);
        if (total == 0) { // segmentation offload leaves the length to the capture
            out.ipEnd = end;
            out.ipLengthFromCapture = true;
        } else if (total < ihl) {
            return fail(out, DecodeStatus.MALFORMED);
        } else {
            out.ipEnd = p + total;
        }
        clampToFrame(out);
        out.ipVersion = 4;
        out.ipHeaderLength = ihl;
        out.ipId = u16(d, p + 4);
        int frag = u16(d, p + 6);
        out.moreFragments = (frag & 0x2000) != 0; // IP_MF
        out.fragmentOffset = (frag & 0x1FFF) * 8; // IP_OFFSET
        out.fragment = out.moreFragments || out.fragmentOffset != 0;
        out.ttl = u8(d, p + 8);
        out.ipProtocol = u8(d, p + 9);
        out.srcLow = d.get(Bytes.I32, p + 12) & 0xFFFF_FFFFL;
        out.dstLow = d.get(Bytes.I32, p + 16) & 0xFFFF_FFFFL;
        TransportDecoder.decode(d, p + ihl, end, out);
        return true;
    }

    static boolean ipv6(MemorySegment d, long p, long end, DecodedPacket out) {
        out.networkOffset = p;
        if (end - p < 40) {
            return fail(out, DecodeStatus.TRUNCATED);
        }
        if ((u8(d, p) >>> 4) != 6) {
            return fail(out, DecodeStatus.MALFORMED);
        }
        int payloadLength = u16(d, p + 4);
        int next = u8(d, p + 6);
        out.ttl = u8(d, p + 7);
        out.srcHigh = d.get(Bytes.I64, p + 8);
        out.srcLow = d.get(Bytes.I64, p + 16);
        out.dstHigh = d.get(Bytes.I64, p + 24);
        out.dstLow = d.get(Bytes.I64, p + 32);
        out.ipVersion = 6;
        long q = p + 40;
        if (payloadLength == 0) { // a jumbogram (its length is in hop-by-hop options) or offload
            out.ipEnd = end;
            out.ipLengthFromCapture = true;
        } else {
            out.ipEnd = q + payloadLength;
            clampToFrame(out);
        }
        for (int i = 0; ; i++) {
            if (i == MAX_EXTENSION_HEADERS) {
                return done(out, p, q, next, DecodeStatus.MALFORMED);
            }
            int extLength;
            switch (next) {
                case IpProtocol.HOPOPTS, IpProtocol.ROUTING, IpProtocol.DSTOPTS, IpProtocol.MOBILITY,
                        IpProtocol.HIP, IpProtocol.SHIM6 -> {
                    if (end - q < 2) {
                        return done(out, p, q, next, DecodeStatus.TRUNCATED);
                    }
                    extLength = (u8(d, q + 1) + 1) * 8;
                }
                case IpProtocol.AH -> {
                    if (end - q < 2) {
                        return done(out, p, q, next, DecodeStatus.TRUNCATED);
                    }
                    extLength = (u8(d, q + 1) + 2) * 4;
                }
                case IpProtocol.FRAGMENT -> extLength = 8;
                default -> {
                    out.ipProtocol = next;
                    out.ipHeaderLength = (int) (q - p);
                    if (q > out.ipEnd) {
                        return done(out, p, q, next, DecodeStatus.MALFORMED);
                    }
                    TransportDecoder.decode(d, q, end, out);
                    return true;
                }
            }
            if (!out.ipLengthFromCapture && q + extLength > out.ipEnd) {
                return done(out, p, q, next, DecodeStatus.MALFORMED);
            }
            if (q + extLength > end) {
                return done(out, p, q, next, DecodeStatus.TRUNCATED);
            }
            if (next == IpProtocol.FRAGMENT) {
                int off = u16(d, q + 2);
                out.fragmentOffset = off & 0xFFF8;
                out.moreFragments = (off & 1) != 0;
                out.fragment = out.moreFragments || out.fragmentOffset != 0; // atomic fragments are whole
                out.ipId = d.get(Bytes.I32, q + 4) & 0xFFFF_FFFFL;
                if (out.fragmentOffset != 0) { // what follows is the middle of the datagram, not a header
                    out.ipProtocol = u8(d, q);
                    out.ipHeaderLength = (int) (q + extLength - p);
                    TransportDecoder.decode(d, q + extLength, end, out);
                    return true;
                }
            } else if (next == IpProtocol.HOPOPTS && payloadLength == 0) {
                long jumbo = jumboLength(d, q + 2, q + extLength);
                if (jumbo > 0) {
                    out.ipEnd = p + 40 + jumbo;
                    out.ipLengthFromCapture = false;
                    clampToFrame(out);
                }
            }
            next = u8(d, q);
            q += extLength;
        }
    }

    /** An IP length beyond the frame's wire length is a lie, not a snaplen cut: end with the frame. */
    private static void clampToFrame(DecodedPacket out) {
        if (out.ipEnd > out.wireEnd) {
            out.ipEnd = out.wireEnd;
            out.ipLengthClamped = true;
        }
    }

    /** Records a problem inside the IPv6 extension headers: the addresses are still valid. */
    private static boolean done(DecodedPacket out, long p, long q, int next, DecodeStatus status) {
        out.ipProtocol = next;
        out.ipHeaderLength = (int) (q - p);
        out.problem(status, Layer.NETWORK);
        return true;
    }

    /** The jumbo payload length from hop-by-hop options in {@code [p, end)}, or 0. */
    private static long jumboLength(MemorySegment d, long p, long end) {
        while (p < end) { // each step advances at least one byte; the header is at most 2 KiB
            int type = u8(d, p);
            if (type == 0) { // Pad1
                p++;
                continue;
            }
            if (p + 2 > end) {
                return 0;
            }
            int len = u8(d, p + 1);
            if (p + 2 + len > end) {
                return 0;
            }
            if (type == IPV6_TLV_JUMBO && len == 4) {
                return d.get(Bytes.I32, p + 2) & 0xFFFF_FFFFL;
            }
            p += 2 + len;
        }
        return 0;
    }
}
