package dev.conntrace.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts IPv4 (RFC 791) and IPv6 (RFC 8200 section 4.5) fragments back together, so that a datagram too large
 * for one packet (a big DNS response over UDP, say) can be decoded whole. Fragments are matched by source,
 * destination, identification, and for IPv4 the protocol. The first copy of a byte wins; overlapping bytes
 * are counted. A reassembled datagram is handed out as raw IP ({@link LinkType#RAW}): for IPv4 the first
 * fragment's header (options kept) with the fragment fields cleared, the total length set and the header
 * checksum recomputed; for IPv6 a fixed header whose next header is the fragment header's (extension headers
 * before the fragment header are not kept).
 *
 * <p>Bounded: at most {@link Limits#maxDatagrams()} datagrams and {@link Limits#maxBytes()} buffered bytes
 * are pending; a new datagram beyond either evicts the oldest. A datagram not complete within
 * {@link Limits#timeoutNanos()} of its first fragment (capture time) is dropped (checked on each fragment:
 * at most {@code maxDatagrams} steps). A datagram longer than
 * 65535 bytes of payload, or a non-last fragment whose length is not a multiple of 8, is dropped as invalid.
 * Each counted. Fragments are rare, so this path allocates per datagram (its buffer) and per fragment (its
 * key). Not thread-safe.
 */
public final class IpDefragmenter {
    /** The largest IP payload a fragment offset can reach (13 bits of 8-byte units, 16-bit lengths). */
    static final int MAX_PAYLOAD = 65535;

    /**
     * Bounds of the pending state.
     *
     * @param maxDatagrams datagrams being reassembled at once (default 1024)
     * @param maxBytes bytes buffered for them (default 16 MiB)
     * @param timeoutNanos how long a datagram may take to complete, capture time (default 30 s, as Linux's ipfrag_time)
     */
    public record Limits(int maxDatagrams, long maxBytes, long timeoutNanos) {
        public Limits {
            if (maxDatagrams < 1 || maxBytes < MAX_PAYLOAD || timeoutNanos <= 0) {
                throw new IllegalArgumentException("defragmentation limits must be positive (and maxBytes at least "
                        + MAX_PAYLOAD + ")");
            }
        }

        /** 1024 datagrams, 16 MiB, 30 s. */
        public static Limits defaults() {
            return new Limits(1024, 16L << 20, 30_000_000_000L);
        }
    }

    private record Key(boolean v6, long srcHigh, long srcLow, long dstHigh, long dstLow, long id, int protocol) {}

    private static final class Pending {
        final long started;
        byte[] header; // the first fragment's IPv4 header; null until it arrives (IPv6 needs none)
        int protocol = -1;
        byte[] data = new byte[0];
        final long[] covered = new long[(MAX_PAYLOAD + 7) / 8 / 64 + 1]; // one bit per 8-byte unit
        int coveredUnits;
        int total = -1; // payload length, known once the last fragment arrived

        Pending(long started) {
            this.started = started;
        }
    }

    private final Limits limits;
    private final Map<Key, Pending> pending = new LinkedHashMap<>(); // least recently grown first
    private long buffered;
    private byte[] out = new byte[60 + MAX_PAYLOAD];
    private int outLength;

    private long fragments;
    private long completed;
    private long expired;
    private long evicted;
    private long invalid;
    private long overlapBytes;

    public IpDefragmenter(Limits limits) {
        this.limits = limits;
    }

    /**
     * Takes one decoded packet that {@link DecodedPacket#isFragment() is a fragment}; true when it completed a
     * datagram, which {@link #datagram()} then holds until the next call. Packets that are not fragments, or
     * whose fragment bytes were not all captured, are ignored (false).
     *
     * @param nanos the packet's capture time
     */
    public boolean offer(DecodedPacket p, long nanos) {
        expire(nanos);
        if (!p.isFragment() || p.ipLengthFromCapture() || p.payloadMissing() > 0) {
            return false;
        }
        fragments++;
        MemorySegment d = p.data();
        long ip = p.ipOffset();
        long dataStart = p.ipVersion() == 4 ? ip + p.ipHeaderLength() : fragmentHeaderEnd(d, ip, ip + p.ipLength());
        long ipEnd = ip + p.ipLength();
        if (dataStart < 0 || dataStart > ipEnd) {
            invalid++;
            return false;
        }
        int offset = p.fragmentOffset();
        int length = (int) (ipEnd - dataStart);
        boolean last = !p.moreFragments();
        Key key = new Key(p.ipVersion() == 6, p.srcHigh(), p.srcLow(), p.dstHigh(), p.dstLow(), p.ipId(),
                p.ipVersion() == 4 ? p.ipProtocol() : -1);
        if ((long) offset + length > MAX_PAYLOAD || (!last && (length & 7) != 0)) {
            drop(key);
            invalid++;
            return false;
        }
        Pending g = pending.get(key);
        if (g == null) {
            g = new Pending(nanos);
            makeRoom(0);
            pending.put(key, g);
        }
        if (last) {
            int total = offset + length;
            if (g.total >= 0 && g.total != total || total < highestCovered(g)) {
                drop(key);
                invalid++;
                return false;
            }
            g.total = total;
        }
        if (offset + length > g.data.length) {
            int grown = Math.min(MAX_PAYLOAD, Math.max(offset + length, g.data.length * 2));
            pending.remove(key); // so that making room never evicts the datagram growing
            buffered -= g.data.length;
            makeRoom(grown);
            g.data = Arrays.copyOf(g.data, grown);
            buffered += grown;
            pending.put(key, g);
        }
        if (offset == 0) {
            g.protocol = p.ipVersion() == 4 ? p.ipProtocol()
                    : Byte.toUnsignedInt(d.get(ValueLayout.JAVA_BYTE, dataStart - 8)); // the fragment header's next header
            if (p.ipVersion() == 4) {
                g.header = new byte[p.ipHeaderLength()];
                MemorySegment.copy(d, ValueLayout.JAVA_BYTE, ip, g.header, 0, g.header.length);
            }
        }
        copyNew(g, d, dataStart, offset, length);
        int units = g.total < 0 ? -1 : (g.total + 7) / 8;
        if (units >= 0 && g.coveredUnits == units && g.protocol >= 0) {
            pending.remove(key);
            buffered -= g.data.length;
            build(key, g);
            completed++;
            return true;
        }
        return false;
    }

    /** Copies the 8-byte units of the fragment not yet held; counts the bytes of units already held. */
    private void copyNew(Pending g, MemorySegment d, long from, int offset, int length) {
        int unit = offset / 8;
        int end = offset + length;
        for (int at = offset; at < end; at += 8, unit++) {
            int n = Math.min(8, end - at);
            long bit = 1L << (unit & 63);
            if ((g.covered[unit >>> 6] & bit) != 0) {
                overlapBytes += n;
                continue;
            }
            g.covered[unit >>> 6] |= bit;
            g.coveredUnits++;
            MemorySegment.copy(d, ValueLayout.JAVA_BYTE, from + (at - offset), g.data, at, n);
        }
    }

    private static int highestCovered(Pending g) {
        for (int w = g.covered.length - 1; w >= 0; w--) {
            if (g.covered[w] != 0) {
                return (w * 64 + 63 - Long.numberOfLeadingZeros(g.covered[w])) * 8 + 1;
            }
        }
        return 0;
    }

    private void build(Key key, Pending g) {
        if (!key.v6()) {
            int ihl = g.header.length;
            System.arraycopy(g.header, 0, out, 0, ihl);
            int total = ihl + g.total;
            out[2] = (byte) (total >>> 8);
            out[3] = (byte) total;
            out[6] = 0; // flags and fragment offset
            out[7] = 0;
            out[10] = 0;
            out[11] = 0;
            int sum = 0;
            for (int i = 0; i < ihl; i += 2) {
                sum += (out[i] & 0xFF) << 8 | out[i + 1] & 0xFF;
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            int check = ~sum & 0xFFFF;
            out[10] = (byte) (check >>> 8);
            out[11] = (byte) check;
            System.arraycopy(g.data, 0, out, ihl, g.total);
            outLength = total;
        } else {
            MemorySegment o = MemorySegment.ofArray(out);
            o.set(Bytes.I32, 0, 0x6000_0000);
            o.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 4, (short) g.total);
            out[6] = (byte) g.protocol;
            out[7] = 64; // hop limit: not carried over
            o.set(Bytes.I64, 8, key.srcHigh());
            o.set(Bytes.I64, 16, key.srcLow());
            o.set(Bytes.I64, 24, key.dstHigh());
            o.set(Bytes.I64, 32, key.dstLow());
            System.arraycopy(g.data, 0, out, 40, g.total);
            outLength = 40 + g.total;
        }
    }

    /** Where the data after an IPv6 packet's fragment header starts, or -1 when there is none. */
    private static long fragmentHeaderEnd(MemorySegment d, long ip, long end) {
        int next = Byte.toUnsignedInt(d.get(ValueLayout.JAVA_BYTE, ip + 6));
        long q = ip + 40;
        for (int i = 0; i < 16 && q + 8 <= end; i++) {
            if (next == IpProtocol.FRAGMENT) {
                return q + 8;
            }
            int len = switch (next) {
                case IpProtocol.HOPOPTS, IpProtocol.ROUTING, IpProtocol.DSTOPTS -> (Byte.toUnsignedInt(d.get(ValueLayout.JAVA_BYTE, q + 1)) + 1) * 8;
                case IpProtocol.AH -> (Byte.toUnsignedInt(d.get(ValueLayout.JAVA_BYTE, q + 1)) + 2) * 4;
                default -> -1;
            };
            if (len < 0) {
                return -1;
            }
            next = Byte.toUnsignedInt(d.get(ValueLayout.JAVA_BYTE, q));
            q += len;
        }
        return -1;
    }

    /** Evicts the least recently grown datagrams until {@code bytes} more fit and one more datagram is allowed. */
    private void makeRoom(long bytes) {
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext() && (pending.size() >= limits.maxDatagrams() || buffered + bytes > limits.maxBytes())) {
            Pending g = it.next();
            buffered -= g.data.length;
            it.remove();
            evicted++;
        }
    }

    private void drop(Key key) {
        Pending g = pending.remove(key);
        if (g != null) {
            buffered -= g.data.length;
        }
    }

    /** Drops the datagrams whose first fragment is older than the timeout at {@code nanos}. */
    public void expire(long nanos) {
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending g = it.next();
            if (nanos - g.started < limits.timeoutNanos()) {
                continue;
            }
            buffered -= g.data.length;
            it.remove();
            expired++;
        }
    }

    /** The last datagram {@link #offer} completed, as raw IP from offset 0 ({@link #datagramLength()} bytes). */
    public MemorySegment datagram() {
        return MemorySegment.ofArray(out);
    }

    /** The length of {@link #datagram()}. */
    public int datagramLength() {
        return outLength;
    }

    /** Fragments taken. */
    public long fragments() {
        return fragments;
    }

    /** Datagrams completed. */
    public long completed() {
        return completed;
    }

    /** Datagrams dropped incomplete: timed out, evicted for room, or invalid. */
    public long incomplete() {
        return expired + evicted + invalid;
    }

    /** Datagrams dropped because they did not complete in time. */
    public long expired() {
        return expired;
    }

    /** Datagrams evicted to stay within the limits. */
    public long evicted() {
        return evicted;
    }

    /** Datagrams dropped as invalid (too long, misaligned, inconsistent ends). */
    public long invalid() {
        return invalid;
    }

    /** Bytes received again for units already held (the first copy was kept). */
    public long overlapBytes() {
        return overlapBytes;
    }

    /** Datagrams pending now. */
    public int pendingDatagrams() {
        return pending.size();
    }

    /** Bytes buffered now. */
    public long bufferedBytes() {
        return buffered;
    }
}
