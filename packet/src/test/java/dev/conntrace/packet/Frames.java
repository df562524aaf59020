package dev.conntrace.packet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Builds packets by hand for decoder tests, with checksums computed here independently of
 * {@link Checksums}.
 */
final class Frames {
    private Frames() {}

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static byte[] be16(int v) {
        return bytes(v >>> 8, v);
    }

    static byte[] be32(long v) {
        return bytes((int) (v >>> 24), (int) (v >>> 16), (int) (v >>> 8), (int) v);
    }

    /** RFC 1071 sum, straightforward 16-bit version. */
    static int checksum(byte[]... parts) {
        byte[] all = cat(parts);
        long sum = 0;
        for (int i = 0; i < all.length; i += 2) {
            int hi = all[i] & 0xFF;
            int lo = i + 1 < all.length ? all[i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int window, byte[] options, byte[] payload) {
        if (options.length % 4 != 0) {
            throw new IllegalArgumentException("pad options to 4 bytes");
        }
        int doff = (20 + options.length) / 4;
        return cat(be16(sport), be16(dport), be32(seq), be32(ack), bytes(doff << 4, flags), be16(window),
                be16(0), be16(0), options, payload);
    }

    static byte[] udp(int sport, int dport, byte[] payload) {
        return cat(be16(sport), be16(dport), be16(8 + payload.length), be16(0), payload);
    }

    /** Fills the transport checksum at {@code at} (16 for TCP, 6 for UDP, 2 for ICMP) using {@code pseudo}. */
    static byte[] withChecksum(byte[] transport, int at, byte[] pseudo) {
        byte[] t = transport.clone();
        t[at] = 0;
        t[at + 1] = 0;
        int c = checksum(pseudo, t);
        t[at] = (byte) (c >>> 8);
        t[at + 1] = (byte) c;
        return t;
    }

    static int checksumAt(int protocol) {
        return switch (protocol) {
            case 6 -> 16;
            case 17 -> 6;
            default -> 2;
        };
    }

    /** IPv4 header (with {@code options}) + transport, both checksums filled. */
    static byte[] ipv4(int src, int dst, int protocol, byte[] options, int fragField, byte[] transport) {
        int ihl = 20 + options.length;
        byte[] pseudo = protocol == 1 ? new byte[0]
                : cat(be32(src & 0xFFFFFFFFL), be32(dst & 0xFFFFFFFFL), bytes(0, protocol), be16(transport.length));
        byte[] t = fragField == 0 ? withChecksum(transport, checksumAt(protocol), pseudo) : transport;
        byte[] h = cat(bytes(0x40 | ihl / 4, 0), be16(ihl + t.length), be16(0x1234), be16(fragField),
                bytes(64, protocol), be16(0), be32(src & 0xFFFFFFFFL), be32(dst & 0xFFFFFFFFL), options);
        int c = checksum(h);
        h[10] = (byte) (c >>> 8);
        h[11] = (byte) c;
        return cat(h, t);
    }

    static byte[] ipv4(int src, int dst, int protocol, byte[] transport) {
        return ipv4(src, dst, protocol, new byte[0], 0, transport);
    }

    static byte[] addr6(long high, long low) {
        return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
    }

    /**
     * IPv6 header + extension headers ({@code ext}, already chained: {@code firstNext} names the
     * first) + transport with its checksum; payload length from the bytes, or 0 when {@code zeroLength}.
     */
    static byte[] ipv6(byte[] src, byte[] dst, int firstNext, byte[] ext, int protocol, byte[] transport,
            boolean zeroLength) {
        byte[] pseudo = cat(src, dst, be32(transport.length), bytes(0, 0, 0, protocol));
        byte[] t = withChecksum(transport, checksumAt(protocol), pseudo);
        int plen = zeroLength ? 0 : ext.length + t.length;
        return cat(bytes(0x60, 0, 0, 0), be16(plen), bytes(firstNext, 64), src, dst, ext, t);
    }

    static byte[] ethernet(int type, byte[] payload) {
        return cat(bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), be16(type), payload);
    }

    static final int SRC4 = 0x0A000001; // 10.0.0.1
    static final int DST4 = 0xC0A80102; // 192.168.1.2
    static final byte[] SRC6 = addr6(0x20010DB800000000L, 1);
    static final byte[] DST6 = addr6(0x20010DB800000000L, 2);

    /** TCP options: MSS 1460, SACK permitted, timestamps 7/9, NOP, window scale 7. */
    static final byte[] SYN_OPTIONS = bytes(2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9, 1, 3, 3, 7);

    static byte[] tcpSegment(byte[] payload) {
        return tcp(40000, 80, 0xFFFFFFF0L, 0x12345678L, TcpFlags.ACK | TcpFlags.PSH, 512,
                cat(SYN_OPTIONS), payload);
    }
}
