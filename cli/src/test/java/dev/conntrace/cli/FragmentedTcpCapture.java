package dev.conntrace.cli;

import dev.conntrace.packet.LinkType;
import dev.conntrace.packet.PcapWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes an Ethernet capture of two TCP connections (handshake, a request and a response in segments of up to
 * 1400 bytes, FINs), with correct checksums and seeded random content, over IPv4 or IPv6. The data segments
 * can be written whole or split into IP fragments (RFC 791 flags and offsets; RFC 8200 fragment headers), in a
 * shuffled order with the fragments of neighbouring segments interleaved. Every fragment carries its
 * segment's timestamp, so a reader that puts them back together sees the same segments at the same times.
 */
final class FragmentedTcpCapture {
    /** How the data segments are written. */
    enum Variant {
        /** Whole packets. */
        WHOLE,
        /** Fragments, shuffled and interleaved. */
        FRAGMENTED,
        /**
         * As FRAGMENTED, with a repeated fragment overlapping two others in the first client data segment (same
         * bytes), and the second fragment of the first server data segment left out.
         */
        DAMAGED
    }

    static final int SEGMENT = 1400;
    static final int REQUEST = 3000;
    static final int RESPONSE = 9000;

    private final SplittableRandom random; // content and sequence numbers: the same in every variant
    private final SplittableRandom layout; // fragment sizes and order
    private final boolean v6;
    private final Variant variant;
    private final List<byte[]> pendingFragments = new ArrayList<>();
    private long pendingTime;
    private int ipId = 100;
    private long time = 1_700_000_000_000_000_000L;
    /** Fragments written. */
    int fragments;
    /** Segments written as fragments. */
    int fragmentedSegments;
    /** Payload bytes of the segment whose fragment DAMAGED leaves out. */
    int lostSegmentBytes;
    private boolean damagedClient;
    private boolean damagedServer;
    private PcapWriter out;

    private FragmentedTcpCapture(boolean v6, Variant variant, long seed) {
        this.v6 = v6;
        this.variant = variant;
        this.random = new SplittableRandom(seed);
        this.layout = new SplittableRandom(~seed);
    }

    /** Writes the capture to {@code file}; the same {@code seed} gives the same connections in every variant. */
    static FragmentedTcpCapture write(Path file, boolean v6, Variant variant, long seed) throws IOException {
        FragmentedTcpCapture c = new FragmentedTcpCapture(v6, variant, seed);
        try (PcapWriter w = PcapWriter.open(file, LinkType.ETHERNET, 65535, true)) {
            c.out = w;
            c.connection(40001);
            c.connection(40002);
            c.flushFragments();
        }
        return c;
    }

    private void connection(int clientPort) throws IOException {
        byte[] request = bytes(REQUEST);
        byte[] response = bytes(RESPONSE);
        long c = random.nextLong() & 0xFFFF_FFFFL;
        long s = random.nextLong() & 0xFFFF_FFFFL;
        packet(true, clientPort, c, 0, 0x02, new byte[0], 0, 0); // SYN
        packet(false, clientPort, s, c + 1, 0x12, new byte[0], 0, 0); // SYN-ACK
        c++;
        s++;
        packet(true, clientPort, c, s, 0x10, new byte[0], 0, 0);
        for (int at = 0; at < REQUEST; at += SEGMENT) {
            packet(true, clientPort, c + at, s, 0x18, request, at, Math.min(SEGMENT, REQUEST - at));
        }
        c += REQUEST;
        packet(false, clientPort, s, c, 0x10, new byte[0], 0, 0);
        for (int at = 0; at < RESPONSE; at += SEGMENT) {
            packet(false, clientPort, s + at, c, 0x18, response, at, Math.min(SEGMENT, RESPONSE - at));
        }
        s += RESPONSE;
        packet(true, clientPort, c, s, 0x11, new byte[0], 0, 0); // FIN
        packet(false, clientPort, s, c + 1, 0x11, new byte[0], 0, 0);
        packet(true, clientPort, c + 1, s + 1, 0x10, new byte[0], 0, 0);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private void packet(boolean fromClient, int clientPort, long seq, long ack, int flags, byte[] data, int from, int length)
            throws IOException {
        time += 1_000_000;
        int sport = fromClient ? clientPort : 80;
        int dport = fromClient ? 80 : clientPort;
        byte[] tcp = new byte[20 + length];
        put16(tcp, 0, sport);
        put16(tcp, 2, dport);
        put32(tcp, 4, seq);
        put32(tcp, 8, ack);
        tcp[12] = 5 << 4;
        tcp[13] = (byte) flags;
        put16(tcp, 14, 65535);
        System.arraycopy(data, from, tcp, 20, length);
        byte[] src = address(fromClient);
        byte[] dst = address(!fromClient);
        put16(tcp, 16, checksum(pseudoHeader(src, dst, tcp.length), tcp));
        if (length == 0 || variant == Variant.WHOLE) {
            flushFragments();
            byte[] ip = v6 ? ipv6(src, dst, 6, tcp) : ipv4(src, dst, ipId++, 0, false, tcp, 0, tcp.length);
            out.writePacket(time, ethernet(ip));
            return;
        }
        fragment(fromClient, src, dst, tcp, length);
    }

    /** Splits the TCP segment into fragments of 8 to 800 bytes and queues them to be written interleaved with the next segment's. */
    private void fragment(boolean fromClient, byte[] src, byte[] dst, byte[] tcp, int length) throws IOException {
        int id = ipId++;
        List<byte[]> pieces = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        for (int at = 0; at < tcp.length; ) {
            int n = Math.min(tcp.length - at, 8 * (1 + layout.nextInt(100)));
            if (n == tcp.length) { // one piece would be no fragment at all
                n = Math.max(8, tcp.length / 16 * 8);
            }
            ranges.add(new int[] {at, n});
            at += n;
        }
        if (variant == Variant.DAMAGED && fromClient && !damagedClient && ranges.size() >= 3) {
            damagedClient = true; // a fragment from the middle of the first to the middle of the second, again
            int[] a = ranges.get(0);
            int[] b = ranges.get(1);
            int start = a[0] + (a[1] / 16) * 8;
            ranges.add(new int[] {start, b[0] + (b[1] / 16) * 8 + 8 - start});
        }
        if (variant == Variant.DAMAGED && !fromClient && !damagedServer && ranges.size() >= 3) {
            damagedServer = true;
            lostSegmentBytes = length;
            ranges.remove(1);
        }
        for (int[] r : ranges) {
            boolean more = r[0] + r[1] < tcp.length;
            pieces.add(v6 ? ipv6Fragment(src, dst, id, tcp, r[0], r[1], more) : ipv4(src, dst, id, r[0], more, tcp, r[0], r[1]));
        }
        fragments += pieces.size();
        fragmentedSegments++;
        if (pendingFragments.isEmpty()) { // the first of a pair: wait for the next segment's fragments
            pendingFragments.addAll(pieces);
            pendingTime = time;
            return;
        }
        // interleave the two segments' fragments, shuffled; each keeps its own segment's time
        List<Object[]> all = new ArrayList<>();
        for (byte[] p : pendingFragments) {
            all.add(new Object[] {p, pendingTime});
        }
        for (byte[] p : pieces) {
            all.add(new Object[] {p, time});
        }
        pendingFragments.clear();
        for (int i = all.size() - 1; i > 0; i--) {
            int j = layout.nextInt(i + 1);
            Object[] t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        for (Object[] f : all) {
            out.writePacket((Long) f[1], ethernet((byte[]) f[0]));
        }
    }

    /** Writes the fragments of a segment still waiting for a partner, shuffled. */
    private void flushFragments() throws IOException {
        for (int i = pendingFragments.size() - 1; i > 0; i--) {
            int j = layout.nextInt(i + 1);
            byte[] t = pendingFragments.get(i);
            pendingFragments.set(i, pendingFragments.get(j));
            pendingFragments.set(j, t);
        }
        for (byte[] p : pendingFragments) {
            out.writePacket(pendingTime, ethernet(p));
        }
        pendingFragments.clear();
    }

    private byte[] address(boolean client) {
        return v6 ? new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (client ? 1 : 2)}
                : new byte[] {10, 1, 0, (byte) (client ? 1 : 2)};
    }

    private byte[] ethernet(byte[] ip) {
        byte[] frame = new byte[14 + ip.length];
        frame[5] = 1;
        frame[11] = 2;
        put16(frame, 12, v6 ? 0x86DD : 0x0800);
        System.arraycopy(ip, 0, frame, 14, ip.length);
        return frame;
    }

    /** An IPv4 packet carrying {@code length} bytes of {@code payload} from {@code from}, at fragment offset {@code offset}. */
    private static byte[] ipv4(byte[] src, byte[] dst, int id, int offset, boolean more, byte[] payload, int from, int length) {
        byte[] ip = new byte[20 + length];
        ip[0] = 0x45;
        put16(ip, 2, ip.length);
        put16(ip, 4, id);
        put16(ip, 6, (more ? 0x2000 : 0) | offset / 8);
        ip[8] = 64;
        ip[9] = 6;
        System.arraycopy(src, 0, ip, 12, 4);
        System.arraycopy(dst, 0, ip, 16, 4);
        put16(ip, 10, checksum(new byte[0], java.util.Arrays.copyOf(ip, 20)));
        System.arraycopy(payload, from, ip, 20, length);
        return ip;
    }

    private static byte[] ipv6(byte[] src, byte[] dst, int next, byte[] payload) {
        byte[] ip = new byte[40 + payload.length];
        ip[0] = 0x60;
        put16(ip, 4, payload.length);
        ip[6] = (byte) next;
        ip[7] = 64;
        System.arraycopy(src, 0, ip, 8, 16);
        System.arraycopy(dst, 0, ip, 24, 16);
        System.arraycopy(payload, 0, ip, 40, payload.length);
        return ip;
    }

    private static byte[] ipv6Fragment(byte[] src, byte[] dst, int id, byte[] tcp, int offset, int length, boolean more) {
        byte[] f = new byte[8 + length];
        f[0] = 6; // next header: TCP
        put16(f, 2, offset | (more ? 1 : 0)); // offset in 8-byte units, shifted by 3, and the M flag
        put32(f, 4, id);
        System.arraycopy(tcp, offset, f, 8, length);
        return ipv6(src, dst, 44, f);
    }

    private byte[] pseudoHeader(byte[] src, byte[] dst, int tcpLength) {
        byte[] p = new byte[2 * src.length + (v6 ? 8 : 4)];
        System.arraycopy(src, 0, p, 0, src.length);
        System.arraycopy(dst, 0, p, src.length, dst.length);
        int at = 2 * src.length;
        if (v6) {
            put32(p, at, tcpLength);
            p[at + 7] = 6;
        } else {
            p[at + 1] = 6;
            put16(p, at + 2, tcpLength);
        }
        return p;
    }

    /** The Internet checksum (RFC 1071) of {@code a} then {@code b} ({@code a} of even length). */
    private static int checksum(byte[] a, byte[] b) {
        long sum = 0;
        for (byte[] bytes : new byte[][] {a, b}) {
            for (int i = 0; i < bytes.length; i += 2) {
                sum += (bytes[i] & 0xFF) << 8 | (i + 1 < bytes.length ? bytes[i + 1] & 0xFF : 0);
            }
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void put32(byte[] b, int at, long v) {
        put16(b, at, (int) (v >>> 16) & 0xFFFF);
        put16(b, at + 2, (int) v & 0xFFFF);
    }
}
